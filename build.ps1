<#
.SYNOPSIS
    Builds OAuthSmtp, lays out the module folder, and runs the tests.
.DESCRIPTION
    dotnet build lays out out/OAuthSmtp (an MSBuild target in src/OAuthSmtp.PowerShell/ModuleLayout.targets does it,
    so CI without pwsh gets the same folder) and out/OAuthSmtp.Emulator. The Pester tests under tests/Pester run in a
    fresh process of the running PowerShell, with Pester 5.7.1 restored from NuGet. -Test also runs every xunit test
    (dotnet test, which runs the Pester suite once more in the pwsh of .config/dotnet-tools.json). -Package writes a
    .nupkg that Install-PSResource accepts. On a machine with only the .NET SDK:
    dotnet tool restore; dotnet tool run pwsh ./build.ps1 -Test
.EXAMPLE
    ./build.ps1
    Builds Release, lays out out/OAuthSmtp and runs Pester.
.EXAMPLE
    ./build.ps1 -Configuration Debug -Test
    Builds Debug, runs Pester and every xunit test.
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
# PowerShell 7.3+ can turn a native non-zero exit into an error of its own; Invoke-Native reports it instead, with
# what failed. (Only a variable in Windows PowerShell.)
$PSNativeCommandUseErrorActionPreference = $false
$root = $PSScriptRoot
$moduleFolder = Join-Path $root 'out/OAuthSmtp'

# Runs native commands and stops the build when the last one exits non-zero. What they write to stderr (warnings)
# must not stop it by itself: Windows PowerShell turns native stderr into error records when it is redirected (ISE,
# CI agents), and $ErrorActionPreference = 'Stop' would make the first one fatal.
function Invoke-Native {
    param([string] $Description, [scriptblock] $Command)
    Write-Host "==> $Description"
    $ErrorActionPreference = 'Continue'
    # Cleared first: a program that could not start sets no exit code, and a stale 0 would pass for success.
    $global:LASTEXITCODE = $null
    & $Command
    if ($null -eq $LASTEXITCODE) {
        throw "$Description did not run (see the error above)."
    }
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

# Pester 5.7.1 comes from NuGet (the Pester test project downloads it into the NuGet cache); an installed Pester 5 is
# the fallback. Nothing has to be installed by hand.
Invoke-Native 'Restore (Pester from NuGet)' { dotnet restore (Join-Path $root 'tests/OAuthSmtp.Pester.Tests/OAuthSmtp.Pester.Tests.csproj') }
Invoke-Native 'Lay out out/OAuthSmtp.Emulator (for the emulator and end-to-end Pester files)' {
    dotnet build (Join-Path $root 'tests/OAuthSmtp.Emulator.PowerShell/OAuthSmtp.Emulator.PowerShell.csproj') -c $Configuration
}
$nugetPackages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
$pesterManifest = Join-Path $nugetPackages 'pester/5.7.1/tools/Pester.psd1'
if (-not (Test-Path -LiteralPath $pesterManifest)) {
    $installed = Get-Module -ListAvailable Pester | Where-Object { $_.Version -ge [version]'5.0.0' } | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $installed) { throw "Pester 5 was not restored to $pesterManifest and is not installed." }
    $pesterManifest = $installed.Path
}

Write-Host "==> Pester ($pesterManifest): tests/Pester in a fresh process"
# A fresh process of the same edition, so this session never holds the module's DLLs (the next build can overwrite
# them). $PSHOME names the running installation; PATH may hold another one, or none.
$pesterPath = (Join-Path $root 'tests/Pester').Replace("'", "''")
$pesterScript = "Import-Module '$($pesterManifest.Replace("'", "''"))'; `$c = New-PesterConfiguration; `$c.Run.Path = '$pesterPath'; `$c.Run.Exit = `$true; `$c.Filter.Tag = 'CI'; `$c.Output.Verbosity = 'Detailed'; `$c.Output.RenderMode = 'Plaintext'; Invoke-Pester -Configuration `$c"
# -EncodedCommand passes the script unchanged to either edition, whatever the path holds (spaces, quotes).
$encodedScript = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($pesterScript))
$shellName = if ($PSVersionTable.PSEdition -eq 'Core') { 'pwsh' } else { 'powershell' }
if (($PSVersionTable.PSEdition -eq 'Desktop') -or $IsWindows) { $shellName += '.exe' }
$shell = Join-Path $PSHOME $shellName
# A Store (MSIX) install cannot be started from its package folder; its alias on PATH can.
if (-not (Test-Path -LiteralPath $shell -PathType Leaf) -or $PSHOME -like '*\WindowsApps\*') { $shell = $shellName }
$shellArguments = @('-NoProfile', '-NonInteractive', '-OutputFormat', 'Text', '-EncodedCommand', $encodedScript)
if ($PSHOME -like '*/.nuget/packages/powershell/*' -or $PSHOME -like '*\.nuget\packages\powershell\*') {
    # The global tool of .config/dotnet-tools.json (dotnet tool run pwsh ./build.ps1): its folder holds pwsh.dll, not
    # a native pwsh, so the child starts the same way.
    $shell = 'dotnet'
    $shellArguments = @('tool', 'run', 'pwsh', '--') + $shellArguments
}
# -OutputFormat Text: the child writes text, not CLIXML, into redirected logs, and nothing twice under *>.
Invoke-Native 'Pester tests' { & $shell @shellArguments }

if ($Test) {
    Invoke-Native 'xunit tests (dotnet test)' { dotnet test (Join-Path $root 'OAuthSmtp.slnx') -c $Configuration }
}

if ($Package) {
    # Quoted: Windows PowerShell and PowerShell 7 split an unquoted -p:Name=$value differently for native commands.
    Invoke-Native 'Module package' { dotnet msbuild (Join-Path $root 'src/OAuthSmtp.PowerShell/OAuthSmtp.PowerShell.csproj') '-t:PackModule' "-p:Configuration=$Configuration" }
}
