#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Connection profiles, for people with pwsh or Windows PowerShell: mirrors tests/OAuthSmtp.PowerShell.Tests/Profiles.

BeforeAll {
    Import-Module "$PSScriptRoot/../../out/OAuthSmtp/OAuthSmtp.psd1" -Force
    $script:ClientId = '3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53'
    $script:SecretText = 'Xq8~Sup3rSecret.ClientValue-2718'
    $script:Secret = [System.Net.NetworkCredential]::new('', $SecretText).SecurePassword
    # Windows PowerShell runs only on Windows and has no $IsWindows; RuntimeInformation is not loadable in every 5.1 session.
    $script:OnWindows = ($PSVersionTable.PSEdition -eq 'Desktop') -or $IsWindows
    $script:PreviousHome = $env:OAUTHSMTP_HOME
}

AfterAll {
    $env:OAUTHSMTP_HOME = $script:PreviousHome
}

Describe 'Connection profiles' -Tag 'CI' {
    BeforeEach {
        $env:OAUTHSMTP_HOME = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $common = @{ TenantId = 'contoso.onmicrosoft.com'; ClientId = $ClientId }
    }

    It 'creates a profile with settings derived from the cloud' {
        $p = New-SmtpOAuthProfile -Name Scanner @common -DeviceCode -Mailbox scanner@contoso.com
        $p.SmtpServer | Should -BeExactly 'smtp.office365.com'
        $p.Port | Should -Be 587
        $p.Scope | Should -BeExactly 'https://outlook.office.com/SMTP.Send offline_access'
        Join-Path $env:OAUTHSMTP_HOME 'profiles.json' | Should -Exist
    }

    It 'finds profiles by wildcard and reports an unknown name' {
        'Scanner', 'Scanner2', 'Erp' | ForEach-Object { New-SmtpOAuthProfile -Name $_ @common -Interactive -Mailbox "$_@contoso.com" | Out-Null }
        (Get-SmtpOAuthProfile sc*).Name | Should -Be @('Scanner', 'Scanner2')
        Get-SmtpOAuthProfile nothing* | Should -BeNullOrEmpty
        Get-SmtpOAuthProfile Missing -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'ProfileNotFound,OAuthSmtp.PowerShell.Commands.GetSmtpOAuthProfileCommand'
    }

    It 're-derives settings the user did not override when the cloud changes' {
        New-SmtpOAuthProfile -Name Scanner @common -ManagedIdentity -Mailbox scanner@contoso.com -SmtpServer relay.contoso.com -AllowNonMicrosoftHost | Out-Null
        $p = Set-SmtpOAuthProfile Scanner -Cloud USGov -PassThru
        $p.SmtpServer | Should -BeExactly 'relay.contoso.com'
        $p.Scope | Should -BeExactly 'https://outlook.office365.us/.default'
    }

    It 'changes nothing with -WhatIf and removes through the pipeline' {
        New-SmtpOAuthProfile -Name Scanner @common -DeviceCode -Mailbox scanner@contoso.com | Out-Null
        Remove-SmtpOAuthProfile Scanner -WhatIf
        Get-SmtpOAuthProfile Scanner | Should -Not -BeNullOrEmpty
        Get-SmtpOAuthProfile Scanner | Remove-SmtpOAuthProfile -Confirm:$false
        Get-SmtpOAuthProfile | Should -BeNullOrEmpty
    }

    It 'rejects <Case> with <Id>' -TestCases @(
        @{ Case = 'a bad tenant'; Id = 'InvalidTenantId'; Arguments = @{ TenantId = 'not a tenant!'; ClientId = '3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53'; Mailbox = 'a@contoso.com'; DeviceCode = $true } }
        @{ Case = 'a bad client id'; Id = 'InvalidClientId'; Arguments = @{ TenantId = 'contoso.com'; ClientId = '3f1c'; Mailbox = 'a@contoso.com'; DeviceCode = $true } }
        @{ Case = 'a bad mailbox'; Id = 'InvalidMailbox'; Arguments = @{ TenantId = 'contoso.com'; ClientId = '3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53'; Mailbox = 'nobody'; DeviceCode = $true } }
        @{ Case = 'a port out of range'; Id = 'InvalidPort'; Arguments = @{ TenantId = 'contoso.com'; ClientId = '3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53'; Mailbox = 'a@contoso.com'; DeviceCode = $true; Port = 70000 } }
        @{ Case = 'two credentials'; Id = 'ConflictingCredentials'; Arguments = @{ TenantId = 'contoso.com'; ClientId = '3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53'; Mailbox = 'a@contoso.com'; DeviceCode = $true; ManagedIdentity = $true } }
    ) {
        param($Id, $Arguments)
        New-SmtpOAuthProfile -Name Scanner @Arguments -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeExactly "$Id,OAuthSmtp.PowerShell.Commands.NewSmtpOAuthProfileCommand"
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        Join-Path $env:OAUTHSMTP_HOME 'profiles.json' | Should -Not -Exist
    }

    It 'gives one error id for one mistake in the profile and token cmdlets: <Id>' -TestCases @(
        @{ Id = 'InvalidTenantId'; Arguments = @{ TenantId = 'common' } }
        @{ Id = 'InvalidAuthorityHost'; Arguments = @{ TenantId = 'contoso.onmicrosoft.com'; AuthorityHost = 'http://login.microsoftonline.com' } }
    ) {
        param($Id, $Arguments)
        New-SmtpOAuthProfile -Name Scanner @Arguments -ClientId $ClientId -DeviceCode -Mailbox a@contoso.com -ErrorVariable newErr -ErrorAction SilentlyContinue | Out-Null
        Get-SmtpOAuthToken @Arguments -ClientId $ClientId -ClientSecret $Secret -ErrorVariable tokenErr -ErrorAction SilentlyContinue | Out-Null
        $newErr[0].FullyQualifiedErrorId | Should -BeExactly "$Id,OAuthSmtp.PowerShell.Commands.NewSmtpOAuthProfileCommand"
        $tokenErr[0].FullyQualifiedErrorId | Should -BeExactly "$Id,OAuthSmtp.PowerShell.Commands.GetSmtpOAuthTokenCommand"
    }

    It 'takes -Cloud and -ManagedIdentityIdKind as enums' {
        (Get-Command New-SmtpOAuthProfile).Parameters['Cloud'].ParameterType.Name | Should -Be 'CloudName'
        (Get-Command Set-SmtpOAuthProfile).Parameters['ManagedIdentityIdKind'].ParameterType.Name | Should -Be 'ManagedIdentityIdKind'
        (New-SmtpOAuthProfile -Name Gov @common -DeviceCode -Mailbox scanner@contoso.com -Cloud usgov).Cloud | Should -Be 'USGov'
    }

    It 'sends no token, secret or Graph token to a host outside the cloud unless the profile names it with -AllowNonMicrosoftHost' {
        $capture = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $capture.Start()
        try {
            $port = $capture.LocalEndpoint.Port
            $secretArgs = @{ ClientSecret = $Secret; AllowUnprotectedSecret = (-not $OnWindows); Mailbox = 'scanner@contoso.com' }
            New-SmtpOAuthProfile -Name Scanner @common @secretArgs -SmtpServer 127.0.0.1 -Port $port -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
            $err[0].FullyQualifiedErrorId | Should -BeExactly 'UntrustedSmtpServer,OAuthSmtp.PowerShell.Commands.NewSmtpOAuthProfileCommand'

            # A profile file edited by someone else to point the secret at their server.
            New-SmtpOAuthProfile -Name Scanner @common @secretArgs | Out-Null
            $file = Join-Path $env:OAUTHSMTP_HOME 'profiles.json'
            $document = Get-Content -Path $file -Raw | ConvertFrom-Json
            $document.profiles[0].authorityHost = "https://127.0.0.1:$port/"
            $document.profiles[0].overrides = 'AuthorityHost'
            $document | ConvertTo-Json -Depth 5 | Set-Content -Path $file
            # Some of these errors end the command (terminating): catch each, whichever kind it is.
            $failure = try { Get-SmtpOAuthToken -Profile Scanner -ErrorAction Stop | Out-Null } catch { $_ }
            $failure.FullyQualifiedErrorId | Should -BeExactly 'UntrustedAuthorityHost,OAuthSmtp.PowerShell.Commands.GetSmtpOAuthTokenCommand'
            $failure = try { Send-SmtpOAuthMessage -Profile Scanner -To someone@fabrikam.com -Subject s -Body b -ErrorAction Stop | Out-Null } catch { $_ }
            $failure.FullyQualifiedErrorId | Should -BeExactly 'UntrustedAuthorityHost,OAuthSmtp.PowerShell.Commands.SendSmtpOAuthMessageCommand'

            # The Graph endpoint variable, pointed at the same server.
            Set-SmtpOAuthProfile -Name Scanner -AuthorityHost ''
            $previousGraph = $env:OAUTHSMTP_GRAPH_ENDPOINT
            $env:OAUTHSMTP_GRAPH_ENDPOINT = "https://127.0.0.1:$port/"
            try {
                $failure = try { Test-SmtpOAuthSetup -Profile Scanner -SkipExchange -ErrorAction Stop | Out-Null } catch { $_ }
            }
            finally {
                $env:OAUTHSMTP_GRAPH_ENDPOINT = $previousGraph
            }
            $failure.FullyQualifiedErrorId | Should -BeExactly 'UntrustedGraphEndpoint,OAuthSmtp.PowerShell.Commands.TestSmtpOAuthSetupCommand'

            $capture.Pending() | Should -BeFalse -Because 'nothing may have connected to the capture server'
        }
        finally {
            $capture.Stop()
        }
    }

    It 'refuses a hand-edited port out of range with InvalidPort and lets Set-SmtpOAuthProfile repair it' {
        New-SmtpOAuthProfile -Name Scanner @common -DeviceCode -Mailbox scanner@contoso.com | Out-Null
        $file = Join-Path $env:OAUTHSMTP_HOME 'profiles.json'
        $document = Get-Content -Path $file -Raw | ConvertFrom-Json
        $document.profiles[0].port = 70000
        $document.profiles[0].overrides = 'Port'
        $document | ConvertTo-Json -Depth 5 | Set-Content -Path $file
        $failure = try { Send-SmtpOAuthMessage -Profile Scanner -To someone@fabrikam.com -Subject s -Body b -ErrorAction Stop | Out-Null } catch { $_ }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'InvalidPort,OAuthSmtp.PowerShell.Commands.SendSmtpOAuthMessageCommand'
        (Set-SmtpOAuthProfile -Name Scanner -Port 587 -PassThru).Port | Should -Be 587
    }

    It 'says with -WhatIf what Set-SmtpOAuthProfile would change, old -> new' {
        New-SmtpOAuthProfile -Name Scanner @common -DeviceCode -Mailbox scanner@contoso.com | Out-Null
        # -WhatIf writes to the host, not to a stream: a transcript records it as the admin saw it.
        $log = Join-Path $TestDrive 'whatif.txt'
        Start-Transcript -Path $log | Out-Null
        Set-SmtpOAuthProfile Scanner -Port 2525 -Cloud USGov -WhatIf
        Stop-Transcript | Out-Null
        $said = Get-Content -Path $log -Raw
        $said | Should -Match ([regex]::Escape('Port: 587 -> 2525'))
        $said | Should -Match ([regex]::Escape('SmtpServer: smtp.office365.com -> smtp.office365.us'))
        (Get-SmtpOAuthProfile Scanner).Port | Should -Be 587
    }

    It 'refuses a profile store over the size cap at once and leaves it untouched' {
        New-Item -ItemType Directory -Path $env:OAUTHSMTP_HOME | Out-Null
        $file = Join-Path $env:OAUTHSMTP_HOME 'profiles.json'
        $stream = [System.IO.File]::Create($file)
        $stream.SetLength(5MB)
        $stream.Dispose()
        $failure = try { Get-SmtpOAuthProfile -ErrorAction Stop } catch { $_ }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'ProfileStoreTooLarge,OAuthSmtp.PowerShell.Commands.GetSmtpOAuthProfileCommand'
        (Get-Item $file).Length | Should -Be 5MB
    }

    It 'refuses a profile store other users could write, as ssh does, and reads it again once private' -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
        New-SmtpOAuthProfile -Name Scanner @common -DeviceCode -Mailbox scanner@contoso.com | Out-Null
        $file = Join-Path $env:OAUTHSMTP_HOME 'profiles.json'
        (Get-Item $file).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        chmod 666 $file
        $failure = try { Get-SmtpOAuthProfile Scanner -ErrorAction Stop } catch { $_ }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'ProfileStoreInsecure,OAuthSmtp.PowerShell.Commands.GetSmtpOAuthProfileCommand'
        $failure.ErrorDetails.RecommendedAction | Should -Match 'chmod 600'
        chmod 600 $file
        (Get-SmtpOAuthProfile Scanner).Name | Should -Be 'Scanner'
    }

    It 'refuses a profile store owned by another user, as ssh does, and reads it again once it is ours' -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop' -or (id -u) -ne '0') {
        # Only root can give a file to another user (chown); the engine tests also play that user with setpriv.
        New-SmtpOAuthProfile -Name Scanner @common -DeviceCode -Mailbox scanner@contoso.com | Out-Null
        $file = Join-Path $env:OAUTHSMTP_HOME 'profiles.json'
        chown 65534 $file
        $failure = try { Get-SmtpOAuthProfile Scanner -ErrorAction Stop } catch { $_ }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'ProfileStoreInsecure,OAuthSmtp.PowerShell.Commands.GetSmtpOAuthProfileCommand'
        $failure.Exception.Message | Should -Match 'owned by another user'
        chown 0 $file
        (Get-SmtpOAuthProfile Scanner).Name | Should -Be 'Scanner'
    }

    It 'needs -Force for an existing name' {
        New-SmtpOAuthProfile -Name Scanner @common -DeviceCode -Mailbox scanner@contoso.com | Out-Null
        New-SmtpOAuthProfile -Name Scanner @common -Interactive -Mailbox scanner@contoso.com -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'ProfileAlreadyExists,OAuthSmtp.PowerShell.Commands.NewSmtpOAuthProfileCommand'
        (New-SmtpOAuthProfile -Name Scanner @common -Interactive -Mailbox scanner@contoso.com -Force).CredentialKind | Should -Be 'Interactive'
    }

    It 'never overwrites a damaged profile file' {
        New-Item -ItemType Directory -Path $env:OAUTHSMTP_HOME | Out-Null
        $file = Join-Path $env:OAUTHSMTP_HOME 'profiles.json'
        Set-Content -Path $file -Value 'not json' -NoNewline
        New-SmtpOAuthProfile -Name Scanner @common -DeviceCode -Mailbox scanner@contoso.com -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'ProfileStoreCorrupt,OAuthSmtp.PowerShell.Commands.NewSmtpOAuthProfileCommand'
        Get-Content -Path $file -Raw | Should -BeExactly 'not json'
    }

    It 'completes profile names on Tab' {
        'Scanner', 'Scanner 2' | ForEach-Object { New-SmtpOAuthProfile -Name $_ @common -DeviceCode -Mailbox scanner@contoso.com | Out-Null }
        $line = 'Remove-SmtpOAuthProfile Sc'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('Scanner', "'Scanner 2'")
    }

    It 'shows the secret in no stream and no file' {
        $output = & {
            # Not -Debug: in Windows PowerShell it means Inquire, and every debug message would wait for an answer.
            $DebugPreference = 'Continue'
            New-SmtpOAuthProfile -Name Scanner @common -ClientSecret $Secret -AllowUnprotectedSecret:(-not $OnWindows) -Mailbox scanner@contoso.com -Verbose
            Get-SmtpOAuthProfile | Format-List | Out-String
            New-SmtpOAuthProfile -Name Scanner @common -ClientSecret $Secret -Mailbox scanner@contoso.com -ErrorAction Continue
        } *>&1 | Out-String
        $output | Should -Not -Match ([regex]::Escape($SecretText))
        Get-ChildItem -Path $env:OAUTHSMTP_HOME -Recurse -File | Where-Object { $_.Directory.Name -ne 'secrets' } | ForEach-Object {
            Get-Content -Path $_.FullName -Raw | Should -Not -Match ([regex]::Escape($SecretText))
        }
        if (-not $OnWindows) {
            $secretFiles = @(Get-ChildItem -Path (Join-Path $env:OAUTHSMTP_HOME 'secrets') -File)
            $secretFiles.Count | Should -Be 1
            # FileSystemInfo.UnixFileMode needs .NET 7 (PowerShell 7.3); stat answers on older PowerShell 7 too.
            $mode = if ($secretFiles[0].PSObject.Properties['UnixFileMode']) {
                [Convert]::ToString([int]$secretFiles[0].UnixFileMode, 8)
            }
            elseif ($IsMacOS) {
                (& stat -f '%Lp' $secretFiles[0].FullName).Trim()
            }
            else {
                (& stat -c '%a' $secretFiles[0].FullName).Trim()
            }
            $mode | Should -Be '600' -Because 'only the owner may read an unprotected secret'
        }
    }
}
