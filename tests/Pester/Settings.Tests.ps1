#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-SmtpOAuthSettings in a real pwsh: mirrors tests/OAuthSmtp.PowerShell.Tests/Profiles/ProductSettingsCommandTests.cs.

BeforeAll {
    Import-Module "$PSScriptRoot/../../out/OAuthSmtp/OAuthSmtp.psd1" -Force
    $script:ClientId = '3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53'
    $script:TenantGuid = '6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'
    $script:SecretText = 'Xq8~Sup3rSecret.SettingsValue-3141'
    $script:Secret = [System.Net.NetworkCredential]::new('', $SecretText).SecurePassword
    $script:OnWindows = ($PSVersionTable.PSEdition -eq 'Desktop') -or $IsWindows
    $script:PreviousHome = $env:OAUTHSMTP_HOME
}

AfterAll {
    $env:OAUTHSMTP_HOME = $script:PreviousHome
}

Describe 'Settings for a product' -Tag 'CI' {
    BeforeEach {
        $env:OAUTHSMTP_HOME = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-SmtpOAuthProfile -Name Dms -TenantId $TenantGuid -ClientId $ClientId -ClientSecret $Secret -AllowUnprotectedSecret:(-not $OnWindows) -Mailbox dms@contoso.com | Out-Null
        function Get-Row($Rows, $Name) { ($Rows | Where-Object Name -CEQ $Name).Value }
    }

    It 'gives the enaio guide''s server keys with the profile''s values' {
        $rows = Get-SmtpOAuthSettings -Profile Dms -Product enaio
        Get-Row $rows 'SMTPUserName' | Should -BeExactly 'dms@contoso.com'
        Get-Row $rows 'SMTPPort' | Should -Be 587
        Get-Row $rows 'SMTPSecurity' | Should -Be 2
        Get-Row $rows 'SMTPAuthenticating' | Should -Be 3
        Get-Row $rows 'OfficeClientID' | Should -BeExactly $ClientId
        Get-Row $rows 'OfficeTenantID' | Should -BeExactly $TenantGuid
        Get-Row $rows 'OfficeTokenEndpoint' | Should -BeExactly 'https://login.microsoftonline.com/#TenantID#/oauth2/v2.0/token'
        Get-Row $rows 'OfficeAccessScopes' | Should -BeExactly 'https://outlook.office365.com/.default'
    }

    It 'names each product''s fields as its guide does' {
        (Get-SmtpOAuthSettings Dms cmxOrganize).Name | Should -Be @('Benutzername', 'Passwort', 'TenantID', 'Umleitungs-URL')
        Get-Row (Get-SmtpOAuthSettings Dms cmxOrganize) 'Umleitungs-URL' | Should -BeExactly 'https://<ihre-domain.de>/App%20E-Mailkonto/continue_oauth'
        (Get-SmtpOAuthSettings Dms InLoox).Name | Should -Contain 'Client Secret'
        (Get-SmtpOAuthSettings Dms es2000).Name | Should -Contain 'Application (client) ID'
        $generic = (Get-SmtpOAuthSettings Dms).Name
        foreach ($name in 'TenantId', 'ClientId', 'EnterpriseAppObjectId', 'SecretId', 'SmtpServer', 'Port', 'Encryption', 'UserName', 'TokenEndpoint', 'Scope', 'Profile') {
            $generic | Should -Contain $name
        }
    }

    It 'shows the secret only when asked, as a SecureString unless -AsPlainText' {
        $shown = Get-SmtpOAuthSettings Dms InLoox | Format-List * | Out-String -Width 200
        $shown | Should -Not -Match ([regex]::Escape($SecretText))
        $secure = (Get-SmtpOAuthSettings Dms -IncludeSecret | Where-Object IsSecret).Value
        $secure | Should -BeOfType ([securestring])
        [System.Net.NetworkCredential]::new('', $secure).Password | Should -BeExactly $SecretText
        Get-Row (Get-SmtpOAuthSettings Dms cmxOrganize -IncludeSecret -AsPlainText) 'Passwort' | Should -BeExactly $SecretText
    }

    It 'refuses -AsPlainText alone and names a missing profile' {
        { Get-SmtpOAuthSettings Dms -AsPlainText -ErrorAction Stop } | Should -Throw -ErrorId 'SettingsSecretNotRequested,OAuthSmtp.PowerShell.Commands.GetSmtpOAuthSettingsCommand'
        Get-SmtpOAuthSettings Missing -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'ProfileNotFound,OAuthSmtp.PowerShell.Commands.GetSmtpOAuthSettingsCommand'
    }
}
