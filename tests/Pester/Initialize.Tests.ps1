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

Describe 'Initialize-SmtpOAuthSetup -Delegated ends proven or says what is left, in real pwsh' -Tag 'CI' -Skip:(-not $CanRehearse) {
    BeforeEach {
        Stop-EmuTenant -WarningAction SilentlyContinue
        $script:Tenant = Start-EmuTenant -Scenario Empty
        Set-EmuPropagationDelay -All ([timespan]::Zero) -Confirm:$false
        Connect-ExchangeOnline -UserPrincipalName $Tenant.Administrator -ShowBanner:$false
        Connect-MgGraph -Scopes Application.ReadWrite.All, DelegatedPermissionGrant.ReadWrite.All, User.Read -NoWelcome
        # The scenario's user with a mailbox of her own (the emulator's model: the one the rehearsal signs in).
        $script:User = $global:OAuthSmtpEmulator.Current.DelegatedUser
        $script:Delegated = @{
            Mailbox = $User; ProfileName = 'Crm'; DisplayName = 'cmxOrganize SMTP'; Delegated = $true
            RedirectUri = 'https://crm.contoso.com/App%20E-Mailkonto/continue_oauth'
            SmtpServer = $Tenant.SmtpServer; Port = $Tenant.SmtpPort; AuthorityHost = $Tenant.AuthorityHost
            AllowNonMicrosoftHost = $true; AllowUnprotectedSecret = $true; Confirm = $false
        }
    }

    It 'without -TestRecipient names who must sign in and what the product needs' {
        $said = Initialize-SmtpOAuthSetup @Delegated 6>&1 | Where-Object { $_ -is [System.Management.Automation.InformationRecord] } | Out-String
        $said | Should -Match ([regex]::Escape("sign in as $User with the device code it shows, not as yourself"))
        $said | Should -Match 'Test-SmtpOAuthSetup -Profile Crm -TestRecipient <address>'
        @(Get-EmuDeliveredMessage).Count | Should -Be 0
    }

    It 'with -TestRecipient where nobody can sign in stops at once and says so instead of waiting out -Timeout' {
        # A runbook or a pipe without a terminal: no person can answer a device code. (The device-code path itself,
        # approved as the mailbox's user, is proven by the hosted test DelegatedInitializeTests.)
        $previous = $env:OAUTHSMTP_NONINTERACTIVE
        $env:OAUTHSMTP_NONINTERACTIVE = '1'
        try {
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $card = Initialize-SmtpOAuthSetup @Delegated -TestRecipient "it@$($Tenant.Domain)" -Wait -Timeout 3600 -ErrorVariable failed -ErrorAction SilentlyContinue 6>$null
            $watch.Elapsed.TotalMinutes | Should -BeLessThan 5
        }
        finally {
            $env:OAUTHSMTP_NONINTERACTIVE = $previous
        }
        $failed[0].FullyQualifiedErrorId | Should -Match '^ProvisioningNotVerified,'
        $failed[0].Exception.Message | Should -Match 'Token'
        $card.CredentialKind | Should -Be 'Delegated'
        @(Get-EmuDeliveredMessage).Count | Should -Be 0
    }
}
