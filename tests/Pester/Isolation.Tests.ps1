#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# OAuthSmtp must work in the same session as ExchangeOnlineManagement, whichever is imported first.
# Each order runs in a fresh process, because assemblies cannot be unloaded from a session.

BeforeDiscovery {
    # -Skip is evaluated during discovery: the value must exist then, not only in BeforeAll.
    $exoInstalled = [bool](Get-Module -ListAvailable -Name ExchangeOnlineManagement)
}

Describe 'OAuthSmtp beside ExchangeOnlineManagement' -Tag 'CI' {
    BeforeAll {
        $modulePath = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../../out/OAuthSmtp/OAuthSmtp.psd1')).ProviderPath
        $script:ModuleArgument = "'" + $modulePath.Replace("'", "''") + "'"
        $script:ExpectedOAuthSmtpError = 'TokenInteractionRequired,OAuthSmtp.PowerShell.Commands.GetSmtpOAuthTokenCommand'

        # The child runs the same edition as this session: pwsh next to pwsh, powershell.exe next to Windows PowerShell.
        # $PSHOME names the running installation (PATH may hold another one, or none). A Store (MSIX) install cannot
        # be started from its package folder; its alias on PATH can.
        $onWindows = ($PSVersionTable.PSEdition -eq 'Desktop') -or $IsWindows
        $executable = if ($PSVersionTable.PSEdition -eq 'Core') { 'pwsh' } else { 'powershell' }
        if ($onWindows) { $executable += '.exe' }
        $candidate = Join-Path $PSHOME $executable
        $script:Shell = if ((Test-Path -LiteralPath $candidate -PathType Leaf) -and $PSHOME -notlike '*\WindowsApps\*') { $candidate } else { $executable }

        # The profile store and the delegated sign-in cache the child may touch stay in this test's folder.
        $script:PreviousHome = $env:OAUTHSMTP_HOME
        $env:OAUTHSMTP_HOME = Join-Path $TestDrive 'oauthsmtp-home'

        # Runs $Code in a fresh process and waits at most $TimeoutSeconds. -EncodedCommand passes the script
        # unchanged to either edition (no quoting rules of the command line to get wrong); -NonInteractive turns any
        # prompt into an error instead of a wait.
        function Invoke-InFreshSession([string] $Code, [int] $TimeoutSeconds = 180) {
            $start = New-Object System.Diagnostics.ProcessStartInfo
            $start.FileName = $script:Shell
            $start.Arguments = '-NoProfile -NonInteractive -EncodedCommand ' + [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($Code))
            $start.UseShellExecute = $false
            $start.CreateNoWindow = $true
            $start.RedirectStandardOutput = $true
            $start.RedirectStandardError = $true
            $process = [System.Diagnostics.Process]::Start($start)
            try {
                $stdout = $process.StandardOutput.ReadToEndAsync()
                $stderr = $process.StandardError.ReadToEndAsync()
                if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
                    $process.Kill()
                    $printed = if ($stdout.Wait(5000) -and $stderr.Wait(5000)) { $stdout.Result + ' ' + $stderr.Result } else { '(output still open)' }
                    throw "The fresh $($script:Shell) session did not finish within $TimeoutSeconds s and was stopped. It printed: $printed"
                }
                $process.WaitForExit()
                [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result + [Environment]::NewLine + $stderr.Result }
            }
            finally {
                $process.Dispose()
            }
        }

        # Checks both modules' MSAL in the child. Get-SmtpOAuthToken -DeviceCode builds OAuthSmtp's MSAL client
        # before it finds that nobody can sign in here: TokenInteractionRequired (and no assembly-load failure)
        # proves OAuthSmtp's MSAL loaded and ran, without any request. ExchangeOnlineManagement may load its MSAL
        # only when connecting, so the check loads that copy from the module's folder if it is not loaded yet.
        $script:Prelude = @'
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$env:OAUTHSMTP_NONINTERACTIVE = '1'
function Test-OAuthSmtpMsal {
    $failure = $null
    $null = Get-SmtpOAuthToken -TenantId 'contoso.onmicrosoft.com' -ClientId '00000000-0000-0000-0000-000000000001' -DeviceCode -ErrorAction SilentlyContinue -ErrorVariable failure
    foreach ($record in $failure) { 'oauthsmtp-msal: ' + $record.FullyQualifiedErrorId + ' ' + $record.Exception.Message }
}
function Test-ExchangeMsal {
    $base = (Get-Module ExchangeOnlineManagement).ModuleBase
    $msal = [AppDomain]::CurrentDomain.GetAssemblies() |
        Where-Object { -not $_.IsDynamic -and $_.GetName().Name -eq 'Microsoft.Identity.Client' -and $_.Location.StartsWith($base, [StringComparison]::OrdinalIgnoreCase) } |
        Select-Object -First 1
    if (-not $msal) {
        $edition = if ($PSVersionTable.PSEdition -eq 'Core') { 'netCore' } else { 'netFramework' }
        $files = @(Get-ChildItem -LiteralPath $base -Recurse -Filter 'Microsoft.Identity.Client.dll')
        $file = @(@($files | Where-Object { $_.DirectoryName -match $edition }) + $files)[0]
        $msal = [System.Reflection.Assembly]::LoadFrom($file.FullName)
    }
    $builder = $msal.GetType('Microsoft.Identity.Client.PublicClientApplicationBuilder', $true)
    $null = $builder::Create('00000000-0000-0000-0000-000000000002').Build()
    'exchange-msal: ' + $msal.GetName().Version
}
'@
    }

    AfterAll {
        $env:OAUTHSMTP_HOME = $script:PreviousHome
    }

    It 'imports OAuthSmtp first, then ExchangeOnlineManagement, and both load their MSAL' -Skip:(-not $exoInstalled) {
        $result = Invoke-InFreshSession ($Prelude + @"

Import-Module $ModuleArgument
Test-OAuthSmtpMsal
Import-Module ExchangeOnlineManagement
Test-ExchangeMsal
Test-OAuthSmtpMsal
'all steps ran'
"@)

        $result.Output | Should -Not -Match 'Could not load file or assembly|Method not found|TypeLoadException|MissingMethodException'
        $result.Output | Should -Match 'exchange-msal: \d'
        @([regex]::Matches($result.Output, 'oauthsmtp-msal: (\S+)') | ForEach-Object { $_.Groups[1].Value }) |
            Should -Be @($ExpectedOAuthSmtpError, $ExpectedOAuthSmtpError)
        $result.Output | Should -Match 'all steps ran'
        $result.ExitCode | Should -Be 0
    }

    It 'imports ExchangeOnlineManagement first, then OAuthSmtp, and both load their MSAL' -Skip:(-not $exoInstalled) {
        $result = Invoke-InFreshSession ($Prelude + @"

Import-Module ExchangeOnlineManagement
Test-ExchangeMsal
Import-Module $ModuleArgument
Test-OAuthSmtpMsal
Test-ExchangeMsal
'all steps ran'
"@)

        $result.Output | Should -Not -Match 'Could not load file or assembly|Method not found|TypeLoadException|MissingMethodException'
        @([regex]::Matches($result.Output, 'exchange-msal: \d')).Count | Should -Be 2
        @([regex]::Matches($result.Output, 'oauthsmtp-msal: (\S+)') | ForEach-Object { $_.Groups[1].Value }) |
            Should -Be @($ExpectedOAuthSmtpError)
        $result.Output | Should -Match 'all steps ran'
        $result.ExitCode | Should -Be 0
    }
}
