; Inno Setup 6 (6.3 or later) script: the s47desk installer for Windows 10/11, 64-bit.
; Build on Windows: powershell -ExecutionPolicy Bypass -File installer\build-installer.ps1
;   (builds dist\s47desk\ with PyInstaller, then compiles this file into
;   dist\s47desk-setup-<version>.exe)
;
; Per user, no admin rights (PrivilegesRequired=lowest): installs into
; %LOCALAPPDATA%\Programs\s47desk, a Start-menu entry, and the .s47meeting file association in
; HKEY_CURRENT_USER. It never asks for elevation.
;
; IT, silent (run in the user's context, e.g. an Intune/SCCM "user" install; no msiexec):
;   s47desk-setup-<version>.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
;   optional: /LOG="%TEMP%\s47desk-setup.log"  /DIR="..."  /TASKS="desktopicon"
; Silent uninstall:
;   "%LOCALAPPDATA%\Programs\s47desk\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Uninstalling removes the program folder only. The user's data and settings
; (%LOCALAPPDATA%\s47desk: the database, settings, local forms, exports; and anything under
; %APPDATA%\s47desk) are never touched.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\s47desk"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif

[Setup]
; AppId identifies the installation across versions: never change it.
AppId={{3209564F-2B2A-4C4D-B7D9-89223BB5BA99}
AppName=s47desk
AppVersion={#AppVersion}
AppVerName=s47desk {#AppVersion}
AppPublisher=s47desk
AppComments=Chair and record multi-agency strategy discussions (section 47, Children Act 1989)
VersionInfoVersion={#AppVersion}
PrivilegesRequired=lowest
; The same folder {autopf} gives a per-user install on Windows, written out (Wine has no
; "UserProgramFiles" known folder, and the installer is tested there).
DefaultDirName={localappdata}\Programs\s47desk
DefaultGroupName=s47desk
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=s47desk-setup-{#AppVersion}
SetupIconFile=..\resources\s47desk.ico
UninstallDisplayIcon={app}\s47desk.exe
UninstallDisplayName=s47desk {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
CloseApplications=yes
RestartApplications=no
SetupLogging=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: no library of the previous version is left beside the new.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\s47desk"; Filename: "{app}\s47desk.exe"; Comment: "Chair and record strategy discussions"
Name: "{autodesktop}\s47desk"; Filename: "{app}\s47desk.exe"; Tasks: desktopicon

[Registry]
; .s47meeting: a meeting file (the JSON that "s47desk export-json" writes and "s47desk import"
; reads). Opening one imports it: the console version runs "s47desk import FILE", which prints
; the new meeting's id or every problem found, and waits for a key so the user can read it.
Root: HKA; Subkey: "Software\Classes\.s47meeting"; ValueType: string; ValueName: ""; ValueData: "s47desk.meeting"; Flags: uninsdeletevalue uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\.s47meeting"; ValueType: string; ValueName: "Content Type"; ValueData: "application/json"; Flags: uninsdeletevalue uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\.s47meeting\OpenWithProgids"; ValueType: string; ValueName: "s47desk.meeting"; ValueData: ""; Flags: uninsdeletevalue uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\s47desk.meeting"; ValueType: string; ValueName: ""; ValueData: "s47desk meeting file"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\s47desk.meeting\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\s47desk.exe,0"
Root: HKA; Subkey: "Software\Classes\s47desk.meeting\shell\open"; ValueType: string; ValueName: ""; ValueData: "Import into s47desk"
Root: HKA; Subkey: "Software\Classes\s47desk.meeting\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{cmd}"" /c """"{app}\s47desk-cli.exe"" import ""%1"" & pause"""

[Run]
Filename: "{app}\s47desk.exe"; Description: "{cm:LaunchProgram,s47desk}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program folder: files Python may have written there at run time. Never user data.
Type: filesandordirs; Name: "{app}\_internal"
