#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Send-SmtpOAuthMessage without a server: parity with the real Send-MailMessage, and the bad input that is refused
# before anything is sent. (Sending itself is tested against the emulator in tests/OAuthSmtp.PowerShell.Tests/Sending.)

BeforeDiscovery {
    # -Skip is evaluated during discovery, so its value is computed here.
    $sendMailMessageAvailable = [bool](Get-Command Send-MailMessage -ErrorAction SilentlyContinue)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/OAuthSmtp/OAuthSmtp.psd1') -Force
    $script:CommandSuffix = ',OAuthSmtp.PowerShell.Commands.SendSmtpOAuthMessageCommand'
    $script:Ours = Get-Command Send-SmtpOAuthMessage
    $script:Theirs = Get-Command Send-MailMessage -ErrorAction SilentlyContinue
    # A token that is never sent (every call below fails validation first or meets a closed port): shaped as a JWT,
    # since anything else is refused as a password (NotAnAccessToken).
    function ConvertTo-Base64Url([string]$Text) { [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Text)).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
    $script:JwtText = (ConvertTo-Base64Url '{"alg":"none"}') + '.' + (ConvertTo-Base64Url '{"aud":"https://outlook.office365.com","exp":4102444800}') + '.c2ln'
    $script:Token = [System.Net.NetworkCredential]::new('', $script:JwtText).SecurePassword

    # A port nothing listens on: sends fail at once with SmtpConnectionFailed and -FailedMessagePath shows what would
    # have gone out.
    function Get-ClosedPort { $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $p = $l.LocalEndpoint.Port; $l.Stop(); $p }

    # A listener that only counts connections: where a CSV column or a password must never reach.
    function Start-CaptureListener {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $listener
    }
    # Connections the listener's kernel queue holds. A client's connect returns only once the handshake is done, and the
    # cmdlet returns only after its connects, so this is exact right after the call: no sleep, nothing timed.
    function Get-CaptureConnections($Listener) { $n = 0; while ($Listener.Pending()) { $Listener.AcceptTcpClient().Dispose(); $n++ }; $n }

    function Get-AttachmentNames([string]$EmlPath) {
        @(Select-String -Path $EmlPath -Pattern 'filename="?([^";]+)"?' -AllMatches | ForEach-Object { $_.Matches } | ForEach-Object { $_.Groups[1].Value }) | Sort-Object
    }
    # Nothing here may read or write the user's own profiles.
    $script:PreviousHome = $env:OAUTHSMTP_HOME
    $env:OAUTHSMTP_HOME = Join-Path $TestDrive 'oauthsmtp-home'

    function Get-ParameterFacts($Command, $Name, $SetName) {
        $parameter = $Command.Parameters[$Name]
        $set = if ($parameter.ParameterSets.ContainsKey($SetName)) { $parameter.ParameterSets[$SetName] } else { $parameter.ParameterSets['__AllParameterSets'] }
        [pscustomobject]@{
            Type          = $parameter.ParameterType.FullName
            Aliases       = @($parameter.Aliases)
            Position      = $set.Position
            Mandatory     = $set.IsMandatory
            ByValue       = $set.ValueFromPipeline
            ByPropertyName = $set.ValueFromPipelineByPropertyName
        }
    }
}

AfterAll {
    $env:OAUTHSMTP_HOME = $script:PreviousHome
}

Describe 'Send-SmtpOAuthMessage parameter parity with Send-MailMessage' -Tag 'CI' {
    It 'has every Send-MailMessage parameter with the same type, aliases, position and pipeline binding' -Skip:(-not $sendMailMessageAvailable) {
        $common = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)
        # Send-SmtpOAuthMessage follows PowerShell 7's Send-MailMessage: -From defaults to the profile mailbox, and
        # -Subject is optional (Windows PowerShell 5.1 still makes it mandatory).
        $mandatoryDiffers = @('From')
        if ($PSVersionTable.PSEdition -eq 'Desktop') { $mandatoryDiffers += 'Subject' }
        # Send-MailMessage binds these by property name; here a CSV column must not redirect the token (issue 13).
        $connectionSettings = @('SmtpServer', 'Port', 'Credential', 'UseSsl')
        foreach ($name in $Theirs.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $Ours.Parameters.ContainsKey($name) | Should -BeTrue -Because "-$name is a Send-MailMessage parameter"
            $theirFacts = Get-ParameterFacts $Theirs $name '__AllParameterSets'
            $ourFacts = Get-ParameterFacts $Ours $name 'Fields'
            $ourFacts.Type | Should -BeExactly $theirFacts.Type -Because "-$name keeps its type"
            $ourFacts.Position | Should -Be $theirFacts.Position -Because "-$name keeps its position"
            foreach ($alias in $theirFacts.Aliases) { $ourFacts.Aliases | Should -Contain $alias -Because "-$name keeps alias $alias" }
            $ourFacts.ByValue | Should -Be $theirFacts.ByValue -Because "-$name keeps pipeline input by value"
            if ($name -in $connectionSettings) {
                $ourFacts.ByPropertyName | Should -BeFalse -Because "-$name is a connection setting, never taken from pipeline objects"
            } else {
                $ourFacts.ByPropertyName | Should -Be $theirFacts.ByPropertyName -Because "-$name keeps pipeline input by property name"
            }
            if ($name -notin $mandatoryDiffers) {
                $ourFacts.Mandatory | Should -Be $theirFacts.Mandatory -Because "-$name keeps whether it is mandatory"
            }
        }
    }

    It 'makes -From optional, defaulting to the profile mailbox' {
        (Get-ParameterFacts $Ours 'From' 'Fields').Mandatory | Should -BeFalse
    }
}

Describe 'Send-SmtpOAuthMessage bad input' -Tag 'CI' {
    It 'refuses <Case> with <Id> before connecting' -TestCases @(
        @{ Case = 'an invalid address'; Id = 'InvalidEmailAddress'; Arguments = @{ To = 'not an address'; Subject = 's'; From = 'a@contoso.com' } }
        @{ Case = 'no recipients'; Id = 'NoRecipients'; Arguments = @{ To = ' '; Subject = 's'; From = 'a@contoso.com' } }
        @{ Case = 'a line break in the subject'; Id = 'HeaderInjection'; Arguments = @{ To = 'b@fabrikam.com'; Subject = "s`r`nBcc: x@evil.com"; From = 'a@contoso.com' } }
        @{ Case = 'a line break in a header'; Id = 'HeaderInjection'; Arguments = @{ To = 'b@fabrikam.com'; Headers = @{ 'X-A' = "1`nBcc: x@evil.com" }; From = 'a@contoso.com' } }
        @{ Case = 'a reserved header'; Id = 'InvalidHeader'; Arguments = @{ To = 'b@fabrikam.com'; Headers = @{ Bcc = 'x@evil.com' }; From = 'a@contoso.com' } }
        @{ Case = 'a missing attachment'; Id = 'AttachmentNotFound'; Arguments = @{ To = 'b@fabrikam.com'; Attachments = 'TestDrive:/missing.pdf'; From = 'a@contoso.com' } }
        @{ Case = 'a missing message file'; Id = 'InvalidMessageInput'; Arguments = @{ MessagePath = 'TestDrive:/missing.eml' } }
    ) {
        $errors = $null
        # The -MessagePath set has no -From: the mailbox comes from -Credential's user name.
        if ($Arguments.ContainsKey('MessagePath')) { $Arguments.Credential = [pscredential]::new('a@contoso.com', $Token) }
        Send-SmtpOAuthMessage @Arguments -AccessToken $Token -SmtpServer 127.0.0.1 -Port 9 -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeExactly ($Id + $CommandSuffix)
        $errors[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'stops with SendCredentialMissing when nothing says how to authenticate' {
        { Send-SmtpOAuthMessage -To b@fabrikam.com -From a@contoso.com -Subject s -ErrorAction Stop } |
            Should -Throw -ErrorId ('SendCredentialMissing' + $CommandSuffix)
    }

    It 'never connects under -WhatIf' {
        $errors = $null
        Send-SmtpOAuthMessage -To b@fabrikam.com -From a@contoso.com -Subject s -AccessToken $Token -SmtpServer 127.0.0.1 -Port 9 -WhatIf -ErrorVariable errors
        $errors.Count | Should -Be 0
    }
}

Describe 'Send-SmtpOAuthMessage sends with DATA only' -Tag 'CI' {
    It 'has no -Pipelining switch (the hand-written BDAT path was removed; MailKit sends with DATA)' {
        $Ours.Parameters.ContainsKey('Pipelining') | Should -BeFalse
    }
}

Describe 'Send-SmtpOAuthMessage when sending cannot succeed' -Tag 'CI' {
    BeforeAll {
        # The file's JWT-shaped fake token: not refused as a password, and no server listens to receive it.
        $script:Jwt = $Token
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $script:DeadPort = $listener.LocalEndpoint.Port; $listener.Stop()
    }

    It 'tries three rows against a dead server, then fails the rest at once with PipelineHalted, each carried' {
        $errors = $null
        $rows = 1..8 | ForEach-Object { [pscustomobject]@{ To = "user$_@fabrikam.com"; Subject = "Row $_" } }
        $rows | Send-SmtpOAuthMessage -AccessToken $Jwt -From a@contoso.com -SmtpServer 127.0.0.1 -Port $DeadPort -RetryIntervalSec 0 -TimeoutSec 5 `
            -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 8
        $errors[0..2] | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeExactly ('SmtpConnectionFailed' + $CommandSuffix) }
        $errors[3..7] | ForEach-Object {
            $_.FullyQualifiedErrorId | Should -BeExactly ('PipelineHalted' + $CommandSuffix)
            $_.TargetObject.Attempts | Should -Be 0
            $_.TargetObject.Subject | Should -Match '^Row [4-8]$'
        }
    }

    It 'refuses a <Case> attachment with AttachmentUnreadable before connecting' -Skip:$IsWindows -TestCases @(
        @{ Case = 'named pipe'; Kind = 'fifo' }
        @{ Case = 'character device'; Kind = '/dev/zero' }
    ) {
        $path = $Kind
        if ($Kind -eq 'fifo') { $path = Join-Path $TestDrive 'pipe'; mkfifo $path }
        $errors = $null
        Send-SmtpOAuthMessage -To b@fabrikam.com -From a@contoso.com -Subject s -Attachments $path -AccessToken $Jwt -SmtpServer 127.0.0.1 -Port $DeadPort `
            -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeExactly ('AttachmentUnreadable' + $CommandSuffix)
        $errors[0].ErrorDetails.Message | Should -Match $Case
    }

    It 'logs the message content only with -ProtocolLogContent' {
        (Get-Command Send-SmtpOAuthMessage).Parameters['ProtocolLogContent'].ParameterType | Should -Be ([switch])
    }
}

Describe 'Send-SmtpOAuthMessage pipeline input in real pwsh' -Tag 'CI' {
    BeforeEach {
        $script:Work = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $Work
        $script:Failed = Join-Path $Work 'Failed'
        $script:Closed = @{ AccessToken = $Token; SmtpServer = '127.0.0.1'; Port = (Get-ClosedPort); TimeoutSec = 2; RetryIntervalSec = 0; FailedMessagePath = $Failed; ErrorAction = 'SilentlyContinue' }
        'first' | Set-Content (Join-Path $Work 'a.pdf')
        'second' | Set-Content (Join-Path $Work 'b.pdf')
    }

    It 'never takes the server, port, profile or credential from Import-Csv or ConvertFrom-Csv columns' {
        $capture = Start-CaptureListener
        try {
            $csv = Join-Path $Work 'rows.csv'
            @(
                [pscustomobject]@{ To = 'a@fabrikam.com'; Subject = 'Row 1'; SmtpServer = '127.0.0.1'; ComputerName = '127.0.0.1'; Port = $capture.LocalEndpoint.Port; Profile = 'Nope'; Credential = 'x' }
                [pscustomobject]@{ To = 'b@fabrikam.com'; Subject = 'Row 2'; SmtpServer = '127.0.0.1'; ComputerName = '127.0.0.1'; Port = $capture.LocalEndpoint.Port; Profile = 'Nope'; Credential = 'x' }
            ) | Export-Csv -Path $csv -NoTypeInformation
            $errors = $null
            Import-Csv $csv | Send-SmtpOAuthMessage @Closed -From sender@contoso.com -ErrorVariable errors
            Get-Content $csv | ConvertFrom-Csv | Send-SmtpOAuthMessage @Closed -From sender@contoso.com -ErrorVariable +errors
            Get-CaptureConnections $capture | Should -Be 0
            $errors.Count | Should -Be 4
            $errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeExactly ('SmtpConnectionFailed' + $CommandSuffix) }
        } finally { $capture.Stop() }
    }

    It 'attaches the files an Import-Csv Attachments column names, one or a semicolon list' {
        $csv = Join-Path $Work 'rows.csv'
        "To,Subject,Attachments`na@fabrikam.com,One,$Work/a.pdf`nb@fabrikam.com,Two,""$Work/a.pdf;$Work/b.pdf""`nc@fabrikam.com,None," | Set-Content $csv
        Import-Csv $csv | Send-SmtpOAuthMessage @Closed -From sender@contoso.com
        $saved = Get-ChildItem (Join-Path $Failed '*.eml')
        $saved.Count | Should -Be 3
        $bySubject = @{}
        foreach ($file in $saved) { $bySubject[((Select-String -Path $file.FullName -Pattern '^Subject: (.*)$').Matches[0].Groups[1].Value)] = @(Get-AttachmentNames $file.FullName) }
        $bySubject['One'] | Should -Be @('a.pdf')
        $bySubject['Two'] | Should -Be @('a.pdf', 'b.pdf')
        $bySubject['None'].Count | Should -Be 0
    }

    It 'refuses a ConvertFrom-Csv row whose attachment does not exist, with the message in the error' {
        $errors = $null
        "To,Subject,Attachments`na@fabrikam.com,Missing,$Work/nope.pdf" | ConvertFrom-Csv | Send-SmtpOAuthMessage @Closed -From sender@contoso.com -ErrorVariable errors
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeExactly ('AttachmentNotFound' + $CommandSuffix)
        $errors[0].TargetObject.Subject | Should -Be 'Missing'
    }

    It 'sends piped files with -To as ONE message with every file, as Send-MailMessage does' {
        Get-ChildItem (Join-Path $Work '*.pdf') | Send-SmtpOAuthMessage @Closed -From sender@contoso.com -To ops@fabrikam.com -Subject 'Piped'
        $saved = @(Get-ChildItem (Join-Path $Failed '*.eml'))
        $saved.Count | Should -Be 1
        Get-AttachmentNames $saved[0].FullName | Should -Be @('a.pdf', 'b.pdf')
    }

    It 'expands a wildcard in -Attachments to every match' {
        Send-SmtpOAuthMessage @Closed -From sender@contoso.com -To ops@fabrikam.com -Subject 'Wildcard' -Attachments (Join-Path $Work '*.pdf')
        $saved = @(Get-ChildItem (Join-Path $Failed '*.eml'))
        $saved.Count | Should -Be 1
        Get-AttachmentNames $saved[0].FullName | Should -Be @('a.pdf', 'b.pdf')
    }

    It 'resends saved .eml files piped from Get-ChildItem without -To, to the recipients they carry' {
        Send-SmtpOAuthMessage @Closed -From sender@contoso.com -To keep@fabrikam.com -Subject 'Saved'
        $first = @(Get-ChildItem (Join-Path $Failed '*.eml'))
        $first.Count | Should -Be 1
        if (-not $IsWindows) { (Get-Item $first[0].FullName).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite') }
        $again = Join-Path $Work 'Again'
        $errors = $null
        Get-ChildItem (Join-Path $Failed '*.eml') | Send-SmtpOAuthMessage -AccessToken $Token -Credential ([pscredential]::new('sender@contoso.com', $Token)) -SmtpServer 127.0.0.1 -Port $Closed.Port -TimeoutSec 2 -RetryIntervalSec 0 -FailedMessagePath $again -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeExactly ('SmtpConnectionFailed' + $CommandSuffix)
        $resaved = @(Get-ChildItem (Join-Path $again '*.eml'))
        $resaved.Count | Should -Be 1
        (Select-String -Path $resaved[0].FullName -Pattern '^To: keep@fabrikam.com').Count | Should -Be 1
    }

    It 'streams 200 .eml files piped from Get-ChildItem and leaves none of them open, each failure carrying its file' -Skip:(-not $IsLinux) {
        # The server is closed: 3 messages are tried, the rest fail at once (PipelineHalted); every one is saved again,
        # read from its .eml as it is written, so each file is opened and must be closed on the failure path too.
        $source = Join-Path $Work 'Outbox'
        $null = New-Item -ItemType Directory -Path $source
        foreach ($i in 1..200) {
            "From: sender@contoso.com`r`nTo: user$i@fabrikam.com`r`nSubject: Saved $i`r`nMessage-Id: <pester-$i@contoso.com>`r`n`r`n$('x' * 4000)`r`n" |
                Set-Content -Path (Join-Path $source ('{0:D3}.eml' -f $i)) -NoNewline
        }
        function Get-OpenUnder([string]$Folder) {
            @([System.IO.Directory]::GetFileSystemEntries("/proc/$PID/fd") | ForEach-Object { [System.IO.FileInfo]::new($_).LinkTarget } | Where-Object { $_ -like "$Folder*" }).Count
        }
        $errors = $null
        $openBetween = Get-ChildItem (Join-Path $source '*.eml') | Send-SmtpOAuthMessage @Closed -Credential ([pscredential]::new('sender@contoso.com', $Token)) -ErrorVariable errors -PassThru |
            ForEach-Object { Get-OpenUnder $source }
        $errors.Count | Should -Be 200
        @($errors | Where-Object { $_.FullyQualifiedErrorId -eq ('PipelineHalted' + $CommandSuffix) }).Count | Should -Be 197
        @($errors | Where-Object { $_.TargetObject.SourcePath -like (Join-Path $source '*.eml') }).Count | Should -Be 200
        @($errors | Where-Object { $_.TargetObject.SavedMessagePath -like (Join-Path $Failed '*.eml') }).Count | Should -Be 200
        @(Get-ChildItem (Join-Path $Failed '*.eml')).Count | Should -Be 200
        ($openBetween | Measure-Object -Maximum).Maximum | Should -Be 0
        Get-OpenUnder $source | Should -Be 0
    }

    It 'refuses a password given as -Credential before connecting, and never sends it' {
        $capture = Start-CaptureListener
        try {
            $password = [System.Net.NetworkCredential]::new('', 'Summer2026!').SecurePassword
            { Send-SmtpOAuthMessage -To a@fabrikam.com -Subject s -Credential ([pscredential]::new('sender@contoso.com', $password)) -SmtpServer 127.0.0.1 -Port $capture.LocalEndpoint.Port -ErrorAction Stop } |
                Should -Throw -ErrorId ('NotAnAccessToken' + $CommandSuffix)
            Get-CaptureConnections $capture | Should -Be 0
        } finally { $capture.Stop() }
    }
}

Describe 'Send-MailMessage facts the parity rests on' -Tag 'CI' {
    It 'Send-MailMessage refuses a wildcard that matches two files (Send-SmtpOAuthMessage attaches both)' -Skip:(-not $sendMailMessageAvailable) {
        $folder = Join-Path $TestDrive 'smm'
        $null = New-Item -ItemType Directory -Path $folder -Force
        'a' | Set-Content (Join-Path $folder 'a.pdf'); 'b' | Set-Content (Join-Path $folder 'b.pdf')
        $message = try {
            Send-MailMessage -To x@fabrikam.com -From a@contoso.com -Subject s -Attachments (Join-Path $folder '*.pdf') -SmtpServer 127.0.0.1 -Port (Get-ClosedPort) -ErrorAction Stop -WarningAction SilentlyContinue
            'sent'
        } catch { $_.Exception.Message }
        $message | Should -Match 'more than one file|ReportMultipleFilesNotSupported'
    }
}
