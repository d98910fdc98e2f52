#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Test-SmtpOAuthSetup -Fix repairs the Entra half (issue 17) in a real pwsh against the emulated tenant
# (out/OAuthSmtp.Emulator), through the look-alike Connect-MgGraph session of Start-EmuTenant -ConnectGraph:
# mirrors tests/OAuthSmtp.PowerShell.Tests/Setup/EntraFixSetupTests.cs for consent and Graph Mail.Send.

BeforeDiscovery {
    # The emulator runs on PowerShell 7 only; on Windows trusting its CA would open the system's confirmation dialog.
    $script:CanRehearse = $PSVersionTable.PSEdition -eq 'Core' -and -not $IsWindows
}

BeforeAll {
    if (-not ($PSVersionTable.PSEdition -eq 'Core' -and -not $IsWindows)) { return }
    Import-Module (Join-Path $PSScriptRoot '../../out/OAuthSmtp.Emulator/OAuthSmtp.Emulator.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../out/OAuthSmtp/OAuthSmtp.psd1') -Force
    $script:PreviousStore = $env:OAUTHSMTP_HOME
    $env:OAUTHSMTP_HOME = Join-Path $TestDrive 'profiles'

    # A new tenant per case: the administrator signed in to Exchange and Graph, a profile, then one thing broken.
    function Start-BrokenTenant([string] $Break) {
        if (Get-Command Stop-EmuTenant -ErrorAction SilentlyContinue) { Stop-EmuTenant -WarningAction SilentlyContinue }
        $script:Tenant = Start-EmuTenant -Scenario Ready -ConnectGraph 6>$null
        Set-EmuPropagationDelay -Quick -Confirm:$false
        Invoke-Expression ($Tenant.ProfileCommand + ' -Force -Confirm:$false') 3>$null
        Invoke-Expression "Set-EmuApplication $Break"
    }

    function Get-Step([object[]] $Results, [string] $Step) { $Results | Where-Object Step -eq $Step | Select-Object -First 1 }
}

AfterAll {
    if (-not (Get-Command Stop-EmuTenant -ErrorAction SilentlyContinue)) { return }
    Stop-EmuTenant -WarningAction SilentlyContinue
    $env:OAUTHSMTP_HOME = $script:PreviousStore
}

Describe 'Test-SmtpOAuthSetup -Fix repairs Entra ID, in real pwsh' -Tag 'CI' -Skip:(-not $CanRehearse) {
    It 'grants missing admin consent, and a test message is delivered' {
        Start-BrokenTenant '-RevokeConsent'
        $before = Get-Step (Test-SmtpOAuthSetup -Profile EmuTenant) 'TokenPermissions'
        $before.Status | Should -Be 'Fail'
        $before.ReasonId | Should -BeExactly 'SetupConsentMissing'
        $before.FixActions.Kind | Should -Be @('GrantAdminConsent')

        $fixed = @(Test-SmtpOAuthSetup -Profile EmuTenant -Fix -Confirm:$false -Wait -Timeout 60 -TestRecipient "it@$($Tenant.Domain)" -ErrorVariable failures)
        $failures | Should -BeNullOrEmpty
        $fixed | Where-Object Status -eq 'Fail' | Should -BeNullOrEmpty
        (Get-Step $fixed 'TestMessage').Status | Should -Be 'Pass'
        @(Get-EmuDeliveredMessage).Count | Should -Be 1
        (Get-EmuStatistics).GraphWrites | Should -Be 1
        Test-SmtpOAuthSetup -Profile EmuTenant -Quiet | Should -BeTrue
    }

    It 'adds SMTP.SendAsApp where only Graph Mail.Send is granted, says Mail.Send is for Graph, and -WhatIf changed nothing first' {
        Start-BrokenTenant '-GraphMailSendOnly'
        $before = Get-Step (Test-SmtpOAuthSetup -Profile EmuTenant) 'TokenPermissions'
        $before.ReasonId | Should -BeExactly 'SetupGraphMailSendOnly'
        $before.Cause | Should -Match 'not for SMTP'
        $before.FixActions.Kind | Should -Be @('AddSmtpPermission', 'GrantAdminConsent')

        $null = Test-SmtpOAuthSetup -Profile EmuTenant -Fix -WhatIf 6>$null
        (Get-EmuStatistics).GraphWrites | Should -Be 0

        $fixed = @(Test-SmtpOAuthSetup -Profile EmuTenant -Fix -Confirm:$false -Wait -Timeout 60 -TestRecipient "it@$($Tenant.Domain)" -ErrorVariable failures)
        $failures | Should -BeNullOrEmpty
        $fixed | Where-Object Status -eq 'Fail' | Should -BeNullOrEmpty
        @(Get-EmuDeliveredMessage).Count | Should -Be 1
        (Get-EmuStatistics).GraphWrites | Should -Be 2
        Test-SmtpOAuthSetup -Profile EmuTenant -Quiet | Should -BeTrue
    }
}
