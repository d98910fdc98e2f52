<#
.SYNOPSIS
    Builds OAuthSmtp, lays out the module folder, and runs the tests.
.DESCRIPTION
    dotnet build lays out out/OAuthSmtp (an MSBuild target in src/OAuthSmtp.PowerShell/ModuleLayout.targets does it,
    so CI without pwsh gets the same folder). With Pester 5 installed, the Pester tests under tests/Pester run in a
    fresh pwsh against that folder. -Test also runs every xunit test (dotnet test). -Package writes a .nupkg that
    Install-PSResource accepts.
.EXAMPLE
    ./build.ps1
    Builds Release and lays out out/OAuthSmtp; runs Pester if installed.
.EXAMPLE
    ./build.ps1 -Configuration Debug -Test
    Builds Debug, runs Pester (if installed) and every xunit test.
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [switch] $Clean,
    [switch] $Test,
    [switch] $Package
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$moduleFolder = Join-Path $root 'out/OAuthSmtp'

function Invoke-Native {
    param([string] $Description, [scriptblock] $Command)
    Write-Host "==> $Description"
    & $Command
    if ($LASTEXITCODE -ne 0) {
        throw "$Description failed with exit code $LASTEXITCODE."
    }
}

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    throw 'The .NET SDK is required: install it from https://dot.net and make sure dotnet is on PATH.'
}

if ($Clean -and (Test-Path $moduleFolder)) {
    Write-Host "==> Removing $moduleFolder"
    Remove-Item -Recurse -Force $moduleFolder
}

Invoke-Native "Build ($Configuration) and lay out $moduleFolder" {
    dotnet build (Join-Path $root 'src/OAuthSmtp.PowerShell/OAuthSmtp.PowerShell.csproj') -c $Configuration
}

foreach ($expected in 'OAuthSmtp.psd1', 'OAuthSmtp.PowerShell.dll', 'OAuthSmtp.LoadContext.dll', 'dependencies/OAuthSmtp.Engine.dll', 'dependencies/MailKit.dll', 'dependencies/Microsoft.Identity.Client.dll') {
    if (-not (Test-Path (Join-Path $moduleFolder $expected))) {
        throw "The module layout is incomplete: $expected is missing from $moduleFolder."
    }
}
Write-Host "Module laid out in $moduleFolder"

$pester = Get-Module -ListAvailable Pester | Where-Object { $_.Version -ge [version]'5.0.0' } | Sort-Object Version -Descending | Select-Object -First 1
if ($pester) {
    Write-Host "==> Pester $($pester.Version): tests/Pester in a fresh process"
    $pesterScript = "Import-Module Pester -MinimumVersion 5.0.0; `$c = New-PesterConfiguration; `$c.Run.Path = '$root/tests/Pester'; `$c.Run.Exit = `$true; `$c.Filter.Tag = 'CI'; `$c.Output.Verbosity = 'Detailed'; Invoke-Pester -Configuration `$c"
    $shell = if ($PSVersionTable.PSEdition -eq 'Core') { 'pwsh' } else { 'powershell' }
    Invoke-Native 'Pester tests' { & $shell -NoProfile -NonInteractive -Command $pesterScript }
}
else {
    Write-Host 'Pester 5 is not installed: Pester tests skipped (Install-Module Pester -MinimumVersion 5.0 to run them).'
}

if ($Test) {
    Invoke-Native 'xunit tests (dotnet test)' { dotnet test (Join-Path $root 'OAuthSmtp.slnx') -c $Configuration }
}

if ($Package) {
    Invoke-Native 'Module package' { dotnet msbuild (Join-Path $root 'src/OAuthSmtp.PowerShell/OAuthSmtp.PowerShell.csproj') -t:PackModule -p:Configuration=$Configuration }
}
