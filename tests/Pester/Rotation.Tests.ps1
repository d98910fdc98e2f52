#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Update-SmtpOAuthCredential in a real pwsh against the emulated tenant (out/OAuthSmtp.Emulator), through the
# look-alike Connect-MgGraph session: mirrors tests/OAuthSmtp.PowerShell.Tests/Setup/CredentialRotationTests.cs.

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
    $script:Tenant = Start-EmuTenant -Scenario Ready
    Set-EmuPropagationDelay -All ([timespan]::Zero) -Confirm:$false
    Connect-MgGraph -Scopes Application.ReadWrite.All -NoWelcome
    Invoke-Expression $Tenant.ProfileCommand 3>$null

    function Get-AppSecretId {
        $filter = [uri]::EscapeDataString("appId eq '$($Tenant.ClientId)'")
        $app = Invoke-MgGraphRequest -Method GET -Uri "v1.0/applications?`$filter=$filter"
        @($app.value[0].passwordCredentials | ForEach-Object { $_.keyId })
    }
}

AfterAll {
    if (-not (Get-Command Stop-EmuTenant -ErrorAction SilentlyContinue)) { return }
    Stop-EmuTenant -WarningAction SilentlyContinue
    $env:OAUTHSMTP_HOME = $script:PreviousStore
}

Describe 'Rotating a client secret, in real pwsh' -Tag 'CI' -Skip:(-not $CanRehearse) {
    It 'keeps both secrets without -RemoveOld' {
        $before = Get-AppSecretId
        $result = Update-SmtpOAuthCredential -Profile EmuTenant -Confirm:$false
        $result.OldCredentialRemoved | Should -BeFalse
        (Get-AppSecretId).Count | Should -Be ($before.Count + 1)
        (Send-SmtpOAuthMessage -Profile EmuTenant -To ('someone@' + $Tenant.Domain) -Subject 'kept both' -PassThru).Status | Should -Be 'Sent'
    }

    It 'removes the old secret with -RemoveOld and still sends' {
        $result = Update-SmtpOAuthCredential -Profile EmuTenant -RemoveOld -Confirm:$false
        $result.OldCredentialRemoved | Should -BeTrue
        Get-AppSecretId | Should -Contain $result.NewCredentialId
        Get-AppSecretId | Should -Not -Contain $result.OldCredentialId
        $result.Proof | Should -Match 'nothing was sent'
        (Send-SmtpOAuthMessage -Profile EmuTenant -To ('someone@' + $Tenant.Domain) -Subject 'rotated' -PassThru).Status | Should -Be 'Sent'
        (Get-SmtpOAuthSettings -Profile EmuTenant | Where-Object Name -eq SecretId).Value | Should -Be $result.NewCredentialId
    }

    It 'never removes the old secret when the new one fails its proof' {
        $before = Get-AppSecretId
        Set-CASMailbox -Identity $Tenant.Mailbox -SmtpClientAuthenticationDisabled $true
        try {
            Update-SmtpOAuthCredential -Profile EmuTenant -RemoveOld -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        }
        finally {
            Set-CASMailbox -Identity $Tenant.Mailbox -SmtpClientAuthenticationDisabled $false
        }
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'CredentialProofFailed,OAuthSmtp.PowerShell.Commands.UpdateSmtpOAuthCredentialCommand'
        Get-AppSecretId | Should -Be $before
        (Send-SmtpOAuthMessage -Profile EmuTenant -To ('someone@' + $Tenant.Domain) -Subject 'still the old one' -PassThru).Status | Should -Be 'Sent'
    }
}
