<#
.SYNOPSIS
  Build the Windows installer dist\s47desk-setup-<version>.exe.
.DESCRIPTION
  Runs installer\build-bundle.ps1 -Smoke (unless -SkipBundle), then compiles installer\s47desk.iss
  with Inno Setup 6.3 or later (ISCC.exe: found on PATH, in Program Files or in
  %LOCALAPPDATA%\Programs; install it with "winget install JRSoftware.InnoSetup").
.EXAMPLE
  powershell -ExecutionPolicy Bypass -File installer\build-installer.ps1
#>
param(
  [switch]$SkipBundle,
  [string]$Iscc = "",
  [string]$Python = ""
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$root = Split-Path -Parent $PSScriptRoot
Set-Location $root

if (-not $SkipBundle) {
  & (Join-Path $PSScriptRoot "build-bundle.ps1") -Smoke -Python $Python  # throws when it fails
}
$bundle = Join-Path $root "dist\s47desk"
foreach ($exe in "s47desk.exe", "s47desk-cli.exe") {
  if (-not (Test-Path (Join-Path $bundle $exe))) { throw "no $exe in ${bundle}; run installer\build-bundle.ps1" }
}

if (-not $Iscc) {
  $found = Get-Command "ISCC.exe" -ErrorAction SilentlyContinue
  $candidates = @(
    $(if ($found) { $found.Source }),
    (Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"),
    (Join-Path $env:ProgramFiles "Inno Setup 6\ISCC.exe"),
    (Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6\ISCC.exe")
  ) | Where-Object { $_ -and (Test-Path $_) }
  if (-not $candidates) { throw "Inno Setup 6 (ISCC.exe) not found: winget install JRSoftware.InnoSetup, or pass -Iscc PATH" }
  $Iscc = @($candidates)[0]
}

$version = (Select-String -Path (Join-Path $root "pyproject.toml") -Pattern '^version = "(.+)"').Matches[0].Groups[1].Value
& $Iscc /Qp "/DAppVersion=$version" "/DBundleDir=$bundle" "/DOutputDir=$(Join-Path $root 'dist')" (Join-Path $PSScriptRoot "s47desk.iss")
if ($LASTEXITCODE -ne 0) { throw "ISCC failed with exit code $LASTEXITCODE" }
Write-Host "installer: dist\s47desk-setup-$version.exe"
