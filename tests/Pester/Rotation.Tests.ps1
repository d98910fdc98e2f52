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

Describe 'Rotating a certificate, in real pwsh' -Tag 'CI' -Skip:(-not $CanRehearse) {
    BeforeAll {
        # An empty tenant set up by Initialize-SmtpOAuthSetup with a certificate (a .pfx here: no Windows store).
        Stop-EmuTenant -WarningAction SilentlyContinue
        $env:OAUTHSMTP_HOME = Join-Path $TestDrive 'certificate-profiles'
        $script:Tenant = Start-EmuTenant -Scenario Empty
        Set-EmuPropagationDelay -All ([timespan]::Zero) -Confirm:$false
        Connect-ExchangeOnline -UserPrincipalName $Tenant.Administrator -ShowBanner:$false
        Connect-MgGraph -Scopes Application.ReadWrite.All, AppRoleAssignment.ReadWrite.All, User.Read -NoWelcome
        $setup = @{
            Mailbox = $Tenant.Mailbox; ProfileName = 'Archive'; DisplayName = 'Archive SMTP'; CredentialType = 'Certificate'
            SmtpServer = $Tenant.SmtpServer; Port = $Tenant.SmtpPort; AuthorityHost = $Tenant.AuthorityHost
            AllowNonMicrosoftHost = $true; AllowUnprotectedSecret = $true; Confirm = $false; InformationAction = 'Ignore'
        }
        $script:Card = Initialize-SmtpOAuthSetup @setup

        function Get-AppKey {
            $filter = [uri]::EscapeDataString("appId eq '$($Card.ClientId)'")
            $app = Invoke-MgGraphRequest -Method GET -Uri "v1.0/applications?`$filter=$filter"
            @($app.value[0].keyCredentials)
        }
        function Get-PfxPassword { Get-Content -Raw (Get-ChildItem (Join-Path $env:OAUTHSMTP_HOME 'secrets') -File | Select-Object -First 1).FullName }
    }

    It '-WhatIf names the keyCredentials PATCH and changes nothing' {
        $before = Get-EmuStatistics
        $pfx = (Get-SmtpOAuthProfile -Name Archive).CertificatePath
        $shown = Update-SmtpOAuthCredential -Profile Archive -RemoveOld -WhatIf 6>&1 | Out-String
        (Get-EmuStatistics).GraphWrites | Should -Be $before.GraphWrites
        (Get-SmtpOAuthProfile -Name Archive).CertificatePath | Should -Be $pfx
        @(Get-AppKey).Count | Should -Be 1
    }

    It 'with -RemoveOld leaves sending working, the old key gone from the app and refused by the token service' {
        $old = Get-AppKey
        $oldPfx = (Get-SmtpOAuthProfile -Name Archive).CertificatePath
        $oldPassword = Get-PfxPassword
        $oldCertificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($oldPfx, $oldPassword)

        $all = Update-SmtpOAuthCredential -Profile Archive -RemoveOld -Confirm:$false -Verbose *>&1
        $result = $all | Where-Object { $_.PSObject.Properties['NewCredentialId'] }

        $result.CredentialType | Should -Be 'Certificate'
        $result.OldCredentialRemoved | Should -BeTrue
        $keys = @(Get-AppKey)
        $keys.Count | Should -Be 1
        $keys[0].keyId | Should -Be $result.NewCredentialId
        $keys[0].keyId | Should -Not -Be $old[0].keyId
        Test-Path $oldPfx | Should -BeFalse
        (Get-SmtpOAuthProfile -Name Archive).CertificatePath | Should -Not -Be $oldPfx
        (Send-SmtpOAuthMessage -Profile Archive -To ('someone@' + $Tenant.Domain) -Subject 'rotated certificate' -PassThru).Status | Should -Be 'Sent'

        $profile = Get-SmtpOAuthProfile -Name Archive
        Get-SmtpOAuthToken -TenantId $Tenant.TenantId -ClientId $profile.ClientId -Certificate $oldCertificate -AuthorityHost $Tenant.AuthorityHost -ForceRefresh -ErrorVariable refused -ErrorAction SilentlyContinue | Out-Null
        $refused[0].FullyQualifiedErrorId | Should -BeExactly 'TokenCertificateRejected,OAuthSmtp.PowerShell.Commands.GetSmtpOAuthTokenCommand'

        # No password of either .pfx in any stream.
        $said = $all | Out-String
        $said | Should -Not -Match ([regex]::Escape($oldPassword))
        $said | Should -Not -Match ([regex]::Escape((Get-PfxPassword)))
    }
}
