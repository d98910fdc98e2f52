#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Initialize-SmtpOAuthSetup in a real pwsh against the emulated tenant (out/OAuthSmtp.Emulator): an empty tenant, the
# admin's own Connect-MgGraph and Connect-ExchangeOnline sessions, one command, a delivered test message; a second run
# changes nothing; -WhatIf changes nothing (issue 17).

BeforeDiscovery {
    # The emulator runs on PowerShell 7 only; on Windows, trusting its CA would open the system's confirmation dialog.
    $script:CanRehearse = $PSVersionTable.PSEdition -eq 'Core' -and -not $IsWindows
}

BeforeAll {
    if (-not ($PSVersionTable.PSEdition -eq 'Core' -and -not $IsWindows)) { return }
    Import-Module (Join-Path $PSScriptRoot '../../out/OAuthSmtp.Emulator/OAuthSmtp.Emulator.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../out/OAuthSmtp/OAuthSmtp.psd1') -Force
    $script:PreviousStore = $env:OAUTHSMTP_HOME
    $env:OAUTHSMTP_HOME = Join-Path $TestDrive 'profiles'

    function Initialize-EmuSetup {
        param([hashtable] $More = @{})
        $arguments = @{
            Mailbox                = $Tenant.Mailbox
            ProfileName            = 'Emu'
            DisplayName            = 'Scanner SMTP'
            SmtpServer             = $Tenant.SmtpServer
            Port                   = $Tenant.SmtpPort
            AuthorityHost          = $Tenant.AuthorityHost
            AllowNonMicrosoftHost  = $true
            AllowUnprotectedSecret = $true
            Confirm                = $false
        }
        Initialize-SmtpOAuthSetup @arguments @More
    }
}

AfterAll {
    if (-not (Get-Command Stop-EmuTenant -ErrorAction SilentlyContinue)) { return }
    Stop-EmuTenant -WarningAction SilentlyContinue
    $env:OAUTHSMTP_HOME = $script:PreviousStore
}

Describe 'Initialize-SmtpOAuthSetup from an empty tenant, in real pwsh' -Tag 'CI' -Skip:(-not $CanRehearse) {
    BeforeAll {
        $script:Tenant = Start-EmuTenant -Scenario Empty
        Set-EmuPropagationDelay -All ([timespan]::Zero) -Confirm:$false
        Connect-ExchangeOnline -UserPrincipalName $Tenant.Administrator -ShowBanner:$false
        Connect-MgGraph -Scopes Application.ReadWrite.All, AppRoleAssignment.ReadWrite.All, User.Read -NoWelcome
    }

    It '-WhatIf lists the Graph calls and Exchange commands and changes nothing' {
        $before = Get-EmuStatistics
        $shown = Initialize-EmuSetup -More @{ WhatIf = $true; TestRecipient = "it@$($Tenant.Domain)" } 6>&1 | Out-String
        $after = Get-EmuStatistics
        $after.GraphWrites | Should -Be $before.GraphWrites
        $after.ExchangeChanges | Should -Be $before.ExchangeChanges
        @(Get-EmuDeliveredMessage).Count | Should -Be 0
    }

    It 'delivers a test message after one command, and a second run changes nothing' {
        $card = Initialize-EmuSetup -More @{ TestRecipient = "it@$($Tenant.Domain)"; Wait = $true; Timeout = 60 }
        $card.ClientId | Should -Match '^[0-9a-f-]{36}$'
        $card.EnterpriseAppObjectId | Should -Match '^[0-9a-f-]{36}$'
        $card.Encryption | Should -Be 'STARTTLS'
        $card.TestMessage | Should -Match 'accepted'
        @(Get-EmuDeliveredMessage).Count | Should -Be 1

        $before = Get-EmuStatistics
        $all = @(Initialize-EmuSetup 6>&1)
        $said = $all | Where-Object { $_ -is [System.Management.Automation.InformationRecord] }
        $again = $all | Where-Object { $_ -isnot [System.Management.Automation.InformationRecord] }
        $after = Get-EmuStatistics
        $again.Changes | Should -Be 0
        $after.GraphWrites | Should -Be $before.GraphWrites
        $after.ExchangeChanges | Should -Be $before.ExchangeChanges
        ($said | Out-String) | Should -Match 'Nothing to change'

        Send-SmtpOAuthMessage -Profile Emu -To "reader@$($Tenant.Domain)" -Subject 'After setup' -Body 'works'
        @(Get-EmuDeliveredMessage).Count | Should -Be 2
    }
}
