#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Test-SmtpOAuthSetup without a tenant: parameter validation, and -SkipExchange against a profile whose authority
# cannot be reached (the doctor names the Tenant step and still reports every step).
# (Every misconfiguration is tested against the emulator in tests/OAuthSmtp.PowerShell.Tests/Setup.)

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/OAuthSmtp/OAuthSmtp.psd1') -Force
    $script:CommandSuffix = ',OAuthSmtp.PowerShell.Commands.TestSmtpOAuthSetupCommand'
    $script:PreviousHome = $env:OAUTHSMTP_HOME
    $env:OAUTHSMTP_HOME = Join-Path $TestDrive 'profiles'

    # Port 1 on the loopback refuses at once: a tenant that cannot be reached, without any network.
    $secret = [System.Net.NetworkCredential]::new('', 'abc8Q~not-a-real-secret-0000000000000000').SecurePassword
    $null = New-SmtpOAuthProfile -Name Offline -TenantId 'contoso.onmicrosoft.com' -ClientId '22222222-2222-2222-2222-222222222222' `
        -ClientSecret $secret -Mailbox 'alerts@contoso.com' -AuthorityHost 'https://127.0.0.1:1' -AllowNonMicrosoftHost -SmtpServer '127.0.0.1' -Port 1 `
        -AllowUnprotectedSecret -Force -Confirm:$false
}

AfterAll {
    $env:OAUTHSMTP_HOME = $PreviousHome
    Remove-Module OAuthSmtp -ErrorAction SilentlyContinue
}

Describe 'Test-SmtpOAuthSetup parameters' -Tag 'CI' {
    It 'declares its output types and supports -WhatIf/-Confirm' {
        $command = Get-Command Test-SmtpOAuthSetup
        $command.OutputType.Name | Should -Contain 'OAuthSmtp.Engine.Setup.SetupCheckResult'
        $command.OutputType.Name | Should -Contain 'System.Boolean'
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.Parameters.Keys | Should -Contain 'Confirm'
    }

    It 'requires -Profile' {
        (Get-Command Test-SmtpOAuthSetup).Parameters['Profile'].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).Mandatory |
            Should -Contain $true
    }

    It 'refuses a -Timeout outside 1-86400 seconds' {
        { Test-SmtpOAuthSetup -Profile Offline -Wait -Timeout 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,OAuthSmtp.PowerShell.Commands.TestSmtpOAuthSetupCommand'
    }

    It 'refuses -Fix together with -SkipExchange before checking anything' {
        { Test-SmtpOAuthSetup -Profile Offline -Fix -SkipExchange -ErrorAction Stop } | Should -Throw -ErrorId "SetupFixFailed$CommandSuffix"
    }

    It 'reports an unknown profile with ProfileNotFound' {
        $null = Test-SmtpOAuthSetup -Profile 'NoSuchProfile' -SkipExchange -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeExactly "ProfileNotFound$CommandSuffix"
    }
}

Describe 'Test-SmtpOAuthSetup -SkipExchange with an unreachable tenant' -Tag 'CI' {
    BeforeAll {
        $script:Results = @(Test-SmtpOAuthSetup -Profile Offline -SkipExchange)
    }

    It 'reports every step, in order' {
        $Results.Step | Should -Be @('Profile', 'Tenant', 'Token', 'CredentialLifetime', 'TokenPermissions', 'SecurityPolicies',
            'ServicePrincipal', 'Mailbox', 'MailboxPermission', 'SmtpAuth', 'SendAs', 'SmtpHandshake', 'TestMessage')
    }

    It 'passes the profile and fails at the tenant with the reason and the fix' {
        ($Results | Where-Object Step -eq 'Profile').Status | Should -Be 'Pass'
        $tenant = $Results | Where-Object Step -eq 'Tenant'
        $tenant.Status | Should -Be 'Fail'
        $tenant.ReasonId | Should -BeExactly 'SetupTenantUnreachable'
        $tenant.Detail | Should -Match '127\.0\.0\.1'
        $tenant.Fix | Should -Not -BeNullOrEmpty
    }

    It 'leaves the Exchange steps out on purpose and skips what depends on the tenant' {
        foreach ($step in 'ServicePrincipal', 'Mailbox', 'MailboxPermission', 'SmtpAuth', 'SendAs') {
            $result = $Results | Where-Object Step -eq $step
            $result.Status | Should -Be 'Skipped'
            $result.Detail | Should -Match '-SkipExchange'
        }

        ($Results | Where-Object Step -eq 'Token').Status | Should -Be 'Skipped'
        ($Results | Where-Object Step -eq 'SmtpHandshake').Status | Should -Be 'Skipped'
        @($Results | Where-Object Status -eq 'Fail').Count | Should -Be 1
    }

    It 'answers $false with -Quiet' {
        Test-SmtpOAuthSetup -Profile Offline -SkipExchange -Quiet | Should -BeExactly $false
    }

    It 'never shows the secret' {
        ($Results | Out-String -Width 300) | Should -Not -Match 'not-a-real-secret'
    }
}
