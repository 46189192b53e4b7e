<#
.SYNOPSIS
  Build the Windows one-folder bundle dist\s47desk\ from installer\s47desk.spec.
.DESCRIPTION
  Needs 64-bit Python 3.11 (python.org installer, with the py launcher) and the package index.
  Creates .venv-windows\ in the checkout (once), installs s47desk with the bundle and postgres
  extras at the versions in constraints.txt, and runs PyInstaller. -Smoke then runs the bundle:
  --version, demo, list, record, the window for a few seconds on a throwaway data folder,
  and --self-test.
.EXAMPLE
  powershell -ExecutionPolicy Bypass -File installer\build-bundle.ps1 -Smoke
#>
param(
  [switch]$Smoke,
  # The interpreter for the build venv: "py -3.11" by default, or a path to python.exe.
  [string]$Python = ""
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$root = Split-Path -Parent $PSScriptRoot
Set-Location $root

function Invoke-Checked([string]$exe, [string[]]$arguments) {
  & $exe @arguments
  if ($LASTEXITCODE -ne 0) { throw "$exe $($arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

$venv = Join-Path $root ".venv-windows"
$vpython = Join-Path $venv "Scripts\python.exe"
if (-not (Test-Path $vpython)) {
  Write-Host "bundle: creating $venv"
  if ($Python) { Invoke-Checked $Python @("-m", "venv", $venv) }
  else { Invoke-Checked "py" @("-3.11", "-m", "venv", $venv) }
}
$constraints = Join-Path $root "constraints.txt"
Invoke-Checked $vpython @("-m", "pip", "install", "-q", "--disable-pip-version-check", "-c", $constraints, "setuptools>=77", "wheel")
Invoke-Checked $vpython @("-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-build-isolation", "-c", $constraints, "-e", "$($root)[bundle,postgres]")

New-Item -ItemType Directory -Force -Path (Join-Path $root "build") | Out-Null
$log = Join-Path $root "build\pyinstaller.log"
$timer = [Diagnostics.Stopwatch]::StartNew()
# PyInstaller logs on stderr: with "Stop", Windows PowerShell 5.1 would turn the first
# redirected stderr line into an error.
$ErrorActionPreference = "Continue"
& $vpython -m PyInstaller --noconfirm --clean --log-level INFO --distpath dist --workpath build\pyinstaller installer\s47desk.spec *> $log
$built = $LASTEXITCODE
$ErrorActionPreference = "Stop"
if ($built -ne 0) {
  Get-Content $log -Tail 40
  throw "bundle: PyInstaller failed; the whole log is $log"
}
$bundle = Join-Path $root "dist\s47desk"
$size = (Get-ChildItem $bundle -Recurse -File | Measure-Object -Property Length -Sum).Sum / 1MB
Write-Host ("bundle: built {0} in {1:N0} s: {2:N0} MB (log: {3})" -f $bundle, $timer.Elapsed.TotalSeconds, $size, $log)
if (-not $Smoke) { exit 0 }

# Smoke test: the console executable for commands, the windowed one for the window.
$tmp = Join-Path ([IO.Path]::GetTempPath()) ("s47desk-smoke-" + [guid]::NewGuid())
New-Item -ItemType Directory -Path $tmp | Out-Null
try {
  $env:S47DESK_DATA = Join-Path $tmp "data"
  $env:S47DESK_CONFIG = Join-Path $tmp "config"
  Remove-Item Env:S47DESK_DB -ErrorAction SilentlyContinue
  $cli = Join-Path $bundle "s47desk-cli.exe"
  $version = (& $cli --version)
  if ($LASTEXITCODE -ne 0 -or $version -notmatch '^s47desk \d') { throw "smoke: --version printed '$version'" }
  Write-Host "smoke: ok: $version"
  Invoke-Checked $cli @("demo")
  $list = & $cli list
  if ($LASTEXITCODE -ne 0 -or $list.Count -lt 7) { throw "smoke: list after demo: $list" }
  Write-Host "smoke: ok: demo + list ($($list.Count - 1) meetings)"
  Invoke-Checked $cli @("record", "2", "-o", (Join-Path $tmp "record.docx"))
  Write-Host "smoke: ok: record"

  $env:S47DESK_DATA = Join-Path $tmp "window-data"
  $env:QT_QPA_PLATFORM = "offscreen"
  $window = Start-Process -FilePath (Join-Path $bundle "s47desk.exe") -PassThru
  Start-Sleep -Seconds 6
  if ($window.HasExited) { throw "smoke: the window exited with $($window.ExitCode)" }
  Stop-Process -Id $window.Id
  Remove-Item Env:QT_QPA_PLATFORM
  Write-Host "smoke: ok: the window ran 6 s offscreen"
  # The whole journey: window offscreen, typing, signing, export, verification, mail.
  $env:QT_QPA_PLATFORM = "offscreen"
  Invoke-Checked $cli @("--self-test")
  Remove-Item Env:QT_QPA_PLATFORM
  Write-Host "smoke: ok: --self-test"
  Write-Host "smoke: bundle passed"
}
finally {
  Remove-Item Env:S47DESK_DATA, Env:S47DESK_CONFIG, Env:QT_QPA_PLATFORM -ErrorAction SilentlyContinue
  Remove-Item -Recurse -Force $tmp -ErrorAction SilentlyContinue
}
