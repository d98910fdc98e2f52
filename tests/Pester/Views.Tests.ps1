#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The format views as a console shows them (issue 15, fix 5): every table fits 80 columns with the columns that
# matter, its header stays on one line at 80 and 120, and each column label is a property name, so Select-Object
# and Where-Object take what the table shows. Long text goes to the list views.
# (Against the emulator, with real send results too: tests/OAuthSmtp.PowerShell.Tests/Help/ViewWidthTests.cs.)

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/OAuthSmtp/OAuthSmtp.psd1') -Force
    $script:PreviousHome = $env:OAUTHSMTP_HOME
    $env:OAUTHSMTP_HOME = Join-Path $TestDrive 'profiles'

    $clientId = '22222222-2222-2222-2222-222222222222'
    $null = New-SmtpOAuthProfile -Name Scanner -TenantId contoso.onmicrosoft.com -ClientId $clientId -CertificateThumbprint 0A1B2C3D4E5F60718293A4B5C6D7E8F901234567 -Mailbox scanner@contoso.com
    $null = New-SmtpOAuthProfile -Name Runbook -TenantId 6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d -ManagedIdentity -Mailbox runbook.nightly@contoso.onmicrosoft.com
    # Port 1 on the loopback refuses at once: real step results without any network.
    $secret = [System.Net.NetworkCredential]::new('', 'abc8Q~not-a-real-secret-0000000000000000').SecurePassword
    $null = New-SmtpOAuthProfile -Name Offline -TenantId contoso.onmicrosoft.com -ClientId $clientId -ClientSecret $secret `
        -Mailbox alerts@contoso.com -AuthorityHost 'https://127.0.0.1:1' -AllowNonMicrosoftHost -SmtpServer 127.0.0.1 -Port 1 -AllowUnprotectedSecret -Force -Confirm:$false

    function ConvertTo-Base64Url([string] $Json) {
        [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Json)).TrimEnd('=').Replace('+', '-').Replace('/', '_')
    }
    $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
    $claims = @{ aud = 'https://outlook.office365.com'; tid = '6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'; appid = $clientId; idtyp = 'app'
        oid = '33333333-3333-3333-3333-333333333333'; roles = @('SMTP.SendAsApp'); iat = $now; exp = $now + 3600 } | ConvertTo-Json -Compress
    $script:Token = (ConvertTo-Base64Url '{"typ":"JWT","alg":"RS256"}') + '.' + (ConvertTo-Base64Url $claims) + '.c2lnbmF0dXJl'

    # The table as the console shows it at that width: its lines, without the blank ones around it.
    function Get-TableLine([object[]] $InputObject, [int] $Width) {
        @(($InputObject | Format-Table | Out-String -Width $Width) -split '\r?\n' | Where-Object { $_.Trim() })
    }

    $script:Profiles = @(Get-SmtpOAuthProfile)
    $script:TokenInfo = Get-SmtpOAuthToken -Decode -Token $Token
    $script:Steps = @(Test-SmtpOAuthSetup -Profile Offline -SkipExchange)
}

AfterAll {
    $env:OAUTHSMTP_HOME = $PreviousHome
    Remove-Module OAuthSmtp -ErrorAction SilentlyContinue
}

Describe 'Format views at 80 and 120 columns' -Tag 'CI' {
    It 'the profile table shows Name, CredentialKind, Cloud and Mailbox whole at <Width> columns' -TestCases @(@{ Width = 80 }, @{ Width = 120 }) {
        $lines = Get-TableLine $Profiles $Width

        $lines[0] | Should -Match '^Name\s+CredentialKind\s+Cloud\s+Mailbox$'
        $lines[1] | Should -Match '^-+\s+-+\s+-+\s+-+$'
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
        ($lines -match 'CertificateThumbprint\s+Global\s+scanner@contoso.com') | Should -Not -BeNullOrEmpty
        ($lines -match 'SystemManagedIdentity') | Should -Not -BeNullOrEmpty
    }

    It 'the token table keeps its verdict (SmtpReady) and a one-line header at <Width> columns' -TestCases @(@{ Width = 80 }, @{ Width = 120 }) {
        $lines = Get-TableLine $TokenInfo $Width

        $lines[0] | Should -Match '^Profile\s+IdentityType\s+Source\s+SmtpReady\s+ExpiresOn\s+Permissions$'
        $lines[1] | Should -Match '^-+(\s+-+){5}$'
        $lines[2] | Should -Match 'App\s+Supplied\s+True\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+SMTP\.SendAsApp'
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
    }

    It 'the setup table gives each step one line at <Width> columns' -TestCases @(@{ Width = 80 }, @{ Width = 120 }) {
        $lines = Get-TableLine $Steps $Width

        $lines[0] | Should -Match '^Step\s+Status\s+Detail$'
        $lines.Count | Should -Be (2 + $Steps.Count)
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
        ($lines -match '^SecurityPolicies\s') | Should -HaveCount 1
    }

    It 'the list views carry the long text whole' {
        $tenant = $Steps | Where-Object Step -eq 'Tenant'
        $list = $tenant | Format-List | Out-String -Width 80
        $list | Should -Match 'Fix\s+:'
        ($list -replace '\s+', ' ') | Should -Match ([regex]::Escape(($tenant.Detail -replace '\s+', ' ').Substring(0, 60)))
        ($TokenInfo | Format-List | Out-String -Width 80) | Should -Match 'Audience\s+: https://outlook.office365.com'
    }

    It 'every <Name> table column is a property: Select-Object takes what the table shows' -TestCases @(
        @{ Name = 'profile'; Object = { Get-SmtpOAuthProfile Scanner } }
        @{ Name = 'token'; Object = { Get-SmtpOAuthToken -Decode -Token $Token } }
        @{ Name = 'setup step'; Object = { Test-SmtpOAuthSetup -Profile Offline -SkipExchange | Select-Object -First 1 } }
    ) {
        $object = & $Object
        $labels = (Get-TableLine $object 200)[0] -split '\s+'

        foreach ($label in $labels) {
            $object.PSObject.Properties.Name | Should -Contain $label -Because "the $Name table's column '$label' must be a property"
        }
        ($object | Select-Object -Property $labels).PSObject.Properties.Name | Should -Be $labels
    }

    It 'Select-Object SmtpReady and Permissions return the token verdict and its roles' {
        $picked = $TokenInfo | Select-Object SmtpReady, Permissions
        $picked.SmtpReady | Should -BeTrue
        $picked.Permissions | Should -BeExactly 'SMTP.SendAsApp'
    }
}
