#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Get-SmtpOAuthToken without a token service: -Decode, and the checks that fail before any request is sent.
# (Token acquisition itself is tested against the emulator in tests/OAuthSmtp.PowerShell.Tests/Tokens.)

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/OAuthSmtp/OAuthSmtp.psd1') -Force
    $script:CommandSuffix = ',OAuthSmtp.PowerShell.Commands.GetSmtpOAuthTokenCommand'
    # The delegated flows look for a saved sign-in under OAUTHSMTP_HOME: never the user's own.
    $script:PreviousHome = $env:OAUTHSMTP_HOME
    $env:OAUTHSMTP_HOME = Join-Path $TestDrive 'oauthsmtp-home'

    function ConvertTo-Base64Url([string] $Json) {
        [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Json)).TrimEnd('=').Replace('+', '-').Replace('/', '_')
    }

    # An unsigned JWT with the given claims: enough for -Decode, which never checks signatures.
    function New-TestJwt([hashtable] $Claims) {
        $header = ConvertTo-Base64Url '{"typ":"JWT","alg":"RS256","x5t":"test"}'
        $payload = ConvertTo-Base64Url ($Claims | ConvertTo-Json -Compress)
        "$header.$payload.c2lnbmF0dXJl"
    }

    $script:Now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
    $script:TenantId = '11111111-1111-1111-1111-111111111111'
    $script:ClientId = '22222222-2222-2222-2222-222222222222'
    $script:AppToken = New-TestJwt @{
        aud = 'https://outlook.office365.com'; tid = $TenantId; appid = $ClientId; appidacr = '1'; idtyp = 'app'
        oid = '33333333-3333-3333-3333-333333333333'; roles = @('SMTP.SendAsApp'); iat = $Now; exp = $Now + 3600
    }
}

AfterAll {
    $env:OAUTHSMTP_HOME = $script:PreviousHome
}

Describe 'Get-SmtpOAuthToken -Decode' -Tag 'CI' {
    It 'reads the claims that matter for SMTP and says the token can work' {
        $info = Get-SmtpOAuthToken -Decode -Token $AppToken

        $info.Audience | Should -BeExactly 'https://outlook.office365.com'
        $info.TenantId | Should -BeExactly $TenantId
        $info.ClientId | Should -BeExactly $ClientId
        $info.Roles | Should -Contain 'SMTP.SendAsApp'
        $info.IdentityType | Should -Be 'App'
        $info.Source | Should -Be 'Supplied'
        $info.ClientAuthentication | Should -BeExactly 'client secret'
        $info.SmtpReady | Should -BeTrue
    }

    It 'takes the token as a SecureString from the pipeline' {
        $secure = [System.Net.NetworkCredential]::new('', $AppToken).SecurePassword

        ($secure | Get-SmtpOAuthToken -Decode).ClientId | Should -BeExactly $ClientId
    }

    It 'never shows the token in ToString or the format views' {
        $info = Get-SmtpOAuthToken -Decode -Token $AppToken
        $signature = $AppToken.Split('.')[2]

        $info.ToString() | Should -Not -Match $signature
        ($info | Format-List * | Out-String) | Should -Not -Match $signature
        ($info | Format-Table | Out-String) | Should -Not -Match $signature
        $info.PSObject.Properties.Name | Should -Not -Contain 'Token'
    }

    It 'outputs the token itself only when asked' {
        Get-SmtpOAuthToken -Decode -Token $AppToken -AsPlainText | Should -BeExactly $AppToken
        Get-SmtpOAuthToken -Decode -Token $AppToken -AsSecureString | Should -BeOfType ([securestring])
    }

    It 'warns that an app-only token without roles lacks consent or uses the RBAC route' {
        $token = New-TestJwt @{ aud = 'https://outlook.office365.com'; idtyp = 'app'; oid = 'a'; sub = 'a'; exp = $Now + 600 }

        $info = Get-SmtpOAuthToken -Decode -Token $token -WarningVariable warnings -WarningAction SilentlyContinue

        $info.SmtpReady | Should -BeTrue
        ($warnings -join ' ') | Should -Match 'admin consent'
        ($warnings -join ' ') | Should -Match 'RBAC for Applications'
    }

    It 'says a <Case> token cannot work for SMTP' -TestCases @(
        @{ Case = 'Graph'; Claims = @{ aud = 'https://graph.microsoft.com'; idtyp = 'app'; roles = @('Mail.Send'); exp = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds() + 600 }; Code = 'AudienceNotExchange' }
        @{ Case = 'expired'; Claims = @{ aud = 'https://outlook.office365.com'; idtyp = 'app'; roles = @('SMTP.SendAsApp'); exp = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds() - 600 }; Code = 'Expired' }
        @{ Case = 'delegated without SMTP.Send'; Claims = @{ aud = 'https://outlook.office.com'; idtyp = 'user'; scp = 'Mail.Read'; upn = 'a@contoso.com'; exp = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds() + 600 }; Code = 'SmtpSendScopeMissing' }
    ) {
        $info = Get-SmtpOAuthToken -Decode -Token (New-TestJwt $Claims) -WarningAction SilentlyContinue

        $info.SmtpReady | Should -BeFalse
        $info.Findings.Code | Should -Contain $Code
    }

    It 'reports text that is not a JWT as TokenMalformed' {
        { Get-SmtpOAuthToken -Decode -Token 'EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAA' -ErrorAction Stop } |
            Should -Throw -ErrorId "TokenMalformed$CommandSuffix"
    }
}

Describe 'Get-SmtpOAuthToken parameter checks before any request' -Tag 'CI' {
    BeforeAll {
        $script:Secret = [System.Net.NetworkCredential]::new('', 'not-a-real-secret').SecurePassword
    }

    It 'refuses -AsPlainText together with -AsSecureString' {
        { Get-SmtpOAuthToken -Decode -Token $AppToken -AsPlainText -AsSecureString } |
            Should -Throw -ErrorId "TokenOutputConflict$CommandSuffix"
    }

    It 'refuses the app-only scope <Scope>' -TestCases @(
        @{ Scope = 'https://outlook.office365.com/SMTP.SendAsApp' }
        @{ Scope = 'https://outlook.office.com/SMTP.Send' }
        @{ Scope = 'https://outlook.office365.com' }
    ) {
        { Get-SmtpOAuthToken -TenantId contoso.onmicrosoft.com -ClientId $ClientId -ClientSecret $Secret -Scope $Scope -ErrorAction Stop } |
            Should -Throw -ErrorId "InvalidScope$CommandSuffix"
    }

    It 'refuses common as the tenant of an app-only request' {
        { Get-SmtpOAuthToken -TenantId common -ClientId $ClientId -ClientSecret $Secret -ErrorAction Stop } |
            Should -Throw -ErrorId "InvalidTenantId$CommandSuffix"
    }

    It 'refuses an authority host that is not https' {
        { Get-SmtpOAuthToken -TenantId contoso.onmicrosoft.com -ClientId $ClientId -ClientSecret $Secret -AuthorityHost 'http://login.example' -ErrorAction Stop } |
            Should -Throw -ErrorId "InvalidAuthorityHost$CommandSuffix"
    }

    It 'refuses a certificate store location other than CurrentUser or LocalMachine' {
        { Get-SmtpOAuthToken -TenantId contoso.onmicrosoft.com -ClientId $ClientId -CertificateThumbprint ('A' * 40) -CertificateStoreLocation Elsewhere } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,OAuthSmtp.PowerShell.Commands.GetSmtpOAuthTokenCommand'
    }

    It 'reports a thumbprint that is in no store as TokenCertificateNotFound' {
        { Get-SmtpOAuthToken -TenantId contoso.onmicrosoft.com -ClientId $ClientId -CertificateThumbprint ('0' * 40) -CertificateStoreLocation CurrentUser -ErrorAction Stop } |
            Should -Throw -ErrorId "TokenCertificateNotFound$CommandSuffix"
    }

    Context 'in a session nobody can answer' {
        BeforeAll {
            $script:PreviousNonInteractive = $env:OAUTHSMTP_NONINTERACTIVE
            $env:OAUTHSMTP_NONINTERACTIVE = '1'
        }

        AfterAll {
            $env:OAUTHSMTP_NONINTERACTIVE = $script:PreviousNonInteractive
        }

        It 'refuses <Flow> at once instead of waiting for a person' -TestCases @(@{ Flow = 'DeviceCode' }, @{ Flow = 'Interactive' }) {
            $parameters = @{ TenantId = 'contoso.onmicrosoft.com'; ClientId = $ClientId; $Flow = $true; ErrorAction = 'Stop' }
            $watch = [Diagnostics.Stopwatch]::StartNew()

            { Get-SmtpOAuthToken @parameters } | Should -Throw -ErrorId "TokenInteractionRequired$CommandSuffix"
            # "At once" against the alternative, waiting up to 15 minutes for a person: real time is the promise here, so
            # the bound stays, but a third of that alternative, so that no busy runner's cold start (loading and compiling
            # MSAL) can reach it.
            $watch.Elapsed.TotalMinutes | Should -BeLessThan 5
        }
    }
}

Describe 'A headless run (cron, systemd: no terminal, stdin closed, no -NonInteractive)' -Tag 'CI' {
    It 'refuses a device-code sign-in at once instead of waiting 15 minutes for nobody' -Skip:(-not $IsLinux -or -not (Get-Command setsid -ErrorAction Ignore)) {
        # This same pwsh (a dotnet tool runs as dotnet + pwsh.dll).
        $pwsh = [Environment]::ProcessPath
        $arguments = [Collections.Generic.List[string]]::new()
        if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $arguments.Add((Join-Path $PSHOME 'pwsh.dll')) }
        $module = Join-Path $PSScriptRoot '../../out/OAuthSmtp/OAuthSmtp.psd1'
        $job = Join-Path $TestDrive 'nightly-report.ps1'
        Set-Content -LiteralPath $job -Value @"
Remove-Item Env:OAUTHSMTP_NONINTERACTIVE -ErrorAction Ignore
`$env:OAUTHSMTP_HOME = '$(Join-Path $TestDrive 'headless-home')'
Import-Module '$module'
try { Get-SmtpOAuthToken -TenantId contoso.onmicrosoft.com -ClientId $ClientId -DeviceCode -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; `$_.ErrorDetails.RecommendedAction }
"@
        $watch = [Diagnostics.Stopwatch]::StartNew()

        # setsid: a new session without a controlling terminal, as cron and systemd start a job; stdin is an empty pipe.
        $arguments.AddRange([string[]]@('-NoProfile', '-File', $job))
        $output = $null | & setsid -w $pwsh @arguments

        $output[0] | Should -BeExactly "TokenInteractionRequired$CommandSuffix"
        $output[1] | Should -Match 'interactive PowerShell session'
        # Against the alternative of 15 minutes for nobody; a third of it leaves any busy machine's pwsh start far below.
        $watch.Elapsed.TotalMinutes | Should -BeLessThan 5
    }
}
