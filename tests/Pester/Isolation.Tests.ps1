#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# OAuthSmtp must work in the same session as ExchangeOnlineManagement, whichever is imported first.
# Each order runs in a fresh process, because assemblies cannot be unloaded from a session.

BeforeDiscovery {
    $script:exoInstalled = [bool](Get-Module -ListAvailable -Name ExchangeOnlineManagement)
}

Describe 'OAuthSmtp beside ExchangeOnlineManagement' -Tag 'CI' {
    BeforeAll {
        $script:modulePath = Join-Path $PSScriptRoot '../../out/OAuthSmtp/OAuthSmtp.psd1'
        $script:shell = if ($PSVersionTable.PSEdition -eq 'Core') { 'pwsh' } else { 'powershell' }
        function Invoke-InFreshSession([string] $Script) {
            $output = & $script:shell -NoProfile -NonInteractive -Command $Script 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
        }
    }

    It 'imports OAuthSmtp first, then ExchangeOnlineManagement, and both load their MSAL' -Skip:(-not $exoInstalled) {
        $result = Invoke-InFreshSession @"
`$ErrorActionPreference = 'Stop'
Import-Module '$modulePath'
Get-SmtpOAuthToken -TenantId 'contoso.onmicrosoft.com' -ClientId '00000000-0000-0000-0000-000000000001' -DeviceCode -ErrorAction SilentlyContinue | Out-Null
Import-Module ExchangeOnlineManagement
[void][Microsoft.Identity.Client.PublicClientApplicationBuilder]::Create('00000000-0000-0000-0000-000000000002').Build()
'ok'
"@
        $result.Output | Should -Match 'ok'
        $result.ExitCode | Should -Be 0
    }

    It 'imports ExchangeOnlineManagement first, then OAuthSmtp, and both load their MSAL' -Skip:(-not $exoInstalled) {
        $result = Invoke-InFreshSession @"
`$ErrorActionPreference = 'Stop'
Import-Module ExchangeOnlineManagement
[void][Microsoft.Identity.Client.PublicClientApplicationBuilder]::Create('00000000-0000-0000-0000-000000000002').Build()
Import-Module '$modulePath'
`$null = Get-SmtpOAuthToken -TenantId 'contoso.onmicrosoft.com' -ClientId '00000000-0000-0000-0000-000000000001' -DeviceCode -ErrorAction SilentlyContinue
'ok'
"@
        $result.Output | Should -Match 'ok'
        $result.Output | Should -Not -Match 'Could not load file or assembly|Method not found'
        $result.ExitCode | Should -Be 0
    }
}
