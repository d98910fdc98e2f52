using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using OAuthSmtp.Emulator.Hostile;
using OAuthSmtp.Hosting;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using OAuthSmtp.PowerShell.Tests.Sending;
using Xunit;
using Xunit.Abstractions;
using EmuStage = OAuthSmtp.Emulator.Smtp.SmtpStage;

namespace OAuthSmtp.PowerShell.Tests.Reliability;

/// <summary>
/// Every cmdlet in every parameter set, on success and on the failure paths the emulator can provoke, with verbose,
/// debug and information shown and the protocol log on. Everything the module produced is collected (each stream
/// item, each error record with its exception chain, TargetObject and ErrorDetails, what the host printed through
/// the format views, every file under the profile store and the log/failed-message folders) and searched for the
/// client secrets, the certificate password, every token the emulator issued (access, refresh, id) and the XOAUTH2
/// blobs built from them.
/// </summary>
public sealed class SecretSweepTests : SendTestBase
{
    private const string CertificatePassword = "Pfx-P@ss-4c1d-sweep";
    private const string WrongSecret = "Wr0ng~Secret.Value-7000215-sweep";
    private readonly ITestOutputHelper _output;
    private readonly List<(string Name, string Text)> _artefacts = new();
    private readonly HashSet<string> _appSecrets = new(StringComparer.Ordinal);

    public SecretSweepTests(EmulatorFixture fixture, ITestOutputHelper output)
        : base(fixture)
    {
        _output = output;
    }

    [Fact]
    public void No_secret_token_or_xoauth2_blob_appears_in_any_stream_error_view_or_file()
    {
        Start(connectExchange: true);
        Emulator.Statistics.ForgetIssuedTokens();
        Environment.SetEnvironmentVariable("OAUTHSMTP_GRAPH_ENDPOINT", Emulator.GraphEndpoint.ToString());
        var logs = Path.Combine(Folder, "logs");
        var failed = Path.Combine(Folder, "failed");
        Directory.CreateDirectory(logs);
        using var certificate = NewCertificate();
        Emulator.Control.AddCertificate(X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert)));
        var pfx = Path.Combine(Folder, "mailer.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, CertificatePassword));
        var parameters = new Dictionary<string, object?>
        {
            ["Secret"] = Tenant.ClientSecret,
            ["WrongSecret"] = WrongSecret,
            ["PfxPassword"] = CertificatePassword,
            ["Pfx"] = pfx,
            ["Certificate"] = certificate,
            ["Logs"] = logs,
            ["Failed"] = failed,
            ["TenantId"] = Tenant.TenantId.ToString(),
            ["ClientId"] = Tenant.ClientId.ToString(),
            ["Authority"] = Tenant.AuthorityHost.ToString(),
            ["Mailbox"] = Tenant.Mailbox,
            ["Shared"] = Tenant.SharedMailbox,
            ["Delegated"] = Tenant.DelegatedUser,
            ["Server"] = Tenant.SmtpServer,
            ["Port"] = Tenant.SmtpPort,
        };
        const string Prelude = """
            param($Secret, $WrongSecret, $PfxPassword, $Pfx, $Certificate, $Logs, $Failed, $TenantId, $ClientId, $Authority, $Mailbox, $Shared, $Delegated, $Server, $Port)
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; $WarningPreference = 'Continue'
            $secure = [System.Net.NetworkCredential]::new('', $Secret).SecurePassword
            $wrong = [System.Net.NetworkCredential]::new('', $WrongSecret).SecurePassword
            $pfxPassword = [System.Net.NetworkCredential]::new('', $PfxPassword).SecurePassword
            $log = [System.IO.Path]::Combine($Logs, 'smtp-' + [guid]::NewGuid().ToString('N') + '.log')

            """;

        var cases = new List<(string Name, string Script, Action? Arrange)>
        {
            // Profiles: every credential kind that carries a secret, success and failure.
            ("New secret", "New-SmtpOAuthProfile -Name Sweep -TenantId $TenantId -ClientId $ClientId -ClientSecret $secure -Mailbox $Mailbox -AuthorityHost $Authority -AllowNonMicrosoftHost -SmtpServer $Server -Port $Port -AllowUnprotectedSecret -Force -Confirm:$false -Verbose -Debug", null),
            ("New credential", "New-SmtpOAuthProfile -Name SweepCred -TenantId $TenantId -Credential ([pscredential]::new($ClientId, $secure)) -Mailbox $Mailbox -AuthorityHost $Authority -AllowNonMicrosoftHost -SmtpServer $Server -Port $Port -AllowUnprotectedSecret -Force -Confirm:$false -Verbose", null),
            ("New pfx", "New-SmtpOAuthProfile -Name SweepPfx -TenantId $TenantId -ClientId $ClientId -CertificatePath $Pfx -CertificatePassword $pfxPassword -Mailbox $Mailbox -AuthorityHost $Authority -AllowNonMicrosoftHost -SmtpServer $Server -Port $Port -AllowUnprotectedSecret -Force -Confirm:$false -Verbose", null),
            ("New pfx wrong password", "New-SmtpOAuthProfile -Name SweepBadPfx -TenantId $TenantId -ClientId $ClientId -CertificatePath $Pfx -CertificatePassword $wrong -Mailbox $Mailbox -AllowUnprotectedSecret -Force -Confirm:$false -Verbose", null),
            ("New wrong secret", "New-SmtpOAuthProfile -Name SweepWrong -TenantId $TenantId -ClientId $ClientId -ClientSecret $wrong -Mailbox $Mailbox -AuthorityHost $Authority -AllowNonMicrosoftHost -SmtpServer $Server -Port $Port -AllowUnprotectedSecret -Force -Confirm:$false", null),
            ("New certificate object", "New-SmtpOAuthProfile -Name SweepCert -TenantId $TenantId -ClientId $ClientId -Certificate $Certificate -Mailbox $Mailbox -AuthorityHost $Authority -AllowNonMicrosoftHost -AllowUnprotectedSecret -Force -Confirm:$false -Verbose", null),
            ("New device code", "New-SmtpOAuthProfile -Name SweepDelegated -TenantId $TenantId -ClientId $ClientId -DeviceCode -Mailbox $Delegated -AuthorityHost $Authority -AllowNonMicrosoftHost -SmtpServer $Server -Port $Port -Force -Confirm:$false", null),
            ("New duplicate and bad input", "New-SmtpOAuthProfile -Name Sweep -TenantId $TenantId -ClientId $ClientId -ClientSecret $secure -Mailbox $Mailbox; New-SmtpOAuthProfile -Name Bad -TenantId 'not a tenant' -ClientId 'x' -ClientSecret $secure -Mailbox 'nobody'; New-SmtpOAuthProfile -Name Two -TenantId $TenantId -ClientId $ClientId -ClientSecret $secure -CertificatePath $Pfx -Mailbox $Mailbox", null),
            ("Get profiles", "Get-SmtpOAuthProfile; Get-SmtpOAuthProfile -Name Sweep* | Format-List *; Get-SmtpOAuthProfile -Name Missing", null),
            ("Set profile", "Set-SmtpOAuthProfile -Name Sweep -ClientSecret $secure -Confirm:$false -Verbose -Debug; Set-SmtpOAuthProfile -Name Sweep -Port 587 -WhatIf; Set-SmtpOAuthProfile -Name Missing -ClientSecret $secure -Confirm:$false; Set-SmtpOAuthProfile -Name Sweep -Port $Port -Confirm:$false", null),
            ("Remove profile", "Remove-SmtpOAuthProfile -Name SweepCred -WhatIf; Remove-SmtpOAuthProfile -Name Missing -Confirm:$false; Remove-SmtpOAuthProfile -Name SweepWrong -Confirm:$false -Verbose", null),

            // Settings cards: the secret only when asked (a SecureString); its text only with -AsPlainText, never searched here.
            ("Settings", "Get-SmtpOAuthSettings -Profile Sweep -Verbose; Get-SmtpOAuthSettings -Profile Sweep -Product enaio | Format-List *; Get-SmtpOAuthSettings -Profile Sweep -Product cmxOrganize -IncludeSecret | Format-List *; Get-SmtpOAuthSettings -Profile SweepPfx -Product InLoox -IncludeSecret; Get-SmtpOAuthSettings -Profile Sweep -AsPlainText; Get-SmtpOAuthSettings -Profile Missing -IncludeSecret", null),

            // Tokens: each parameter set.
            ("Token profile", "Get-SmtpOAuthToken -Profile Sweep -ForceRefresh | Format-List *; Get-SmtpOAuthToken -Profile Sweep -AsSecureString", null),
            ("Token secret", "Get-SmtpOAuthToken -TenantId $TenantId -ClientId $ClientId -ClientSecret $secure -AuthorityHost $Authority | Format-List *", null),
            ("Token credential", "Get-SmtpOAuthToken -TenantId $TenantId -Credential ([pscredential]::new($ClientId, $secure)) -AuthorityHost $Authority", null),
            ("Token pfx", "Get-SmtpOAuthToken -TenantId $TenantId -ClientId $ClientId -CertificatePath $Pfx -CertificatePassword $pfxPassword -AuthorityHost $Authority | Format-List *; Get-SmtpOAuthToken -Profile SweepPfx", null),
            ("Token certificate", "Get-SmtpOAuthToken -TenantId $TenantId -ClientId $ClientId -Certificate $Certificate -AuthorityHost $Authority", null),
            ("Token wrong secret", "Get-SmtpOAuthToken -TenantId $TenantId -ClientId $ClientId -ClientSecret $wrong -AuthorityHost $Authority", null),
            ("Token wrong pfx password", "Get-SmtpOAuthToken -TenantId $TenantId -ClientId $ClientId -CertificatePath $Pfx -CertificatePassword $wrong -AuthorityHost $Authority", null),
            ("Token device code", "Get-SmtpOAuthToken -Profile SweepDelegated | Format-List *; Get-SmtpOAuthToken -Profile SweepDelegated -ForceRefresh", () => Emulator.Tokens.AutoApproveDeviceCodesFor = Tenant.DelegatedUser),
            ("Token outage", "Get-SmtpOAuthToken -Profile Sweep -ForceRefresh", () => Emulator.Faults.TokenServiceOutageCount = 10),
            ("Token not JSON", "Get-SmtpOAuthToken -Profile Sweep -ForceRefresh", () => Emulator.Faults.TokenServiceHostility = HostileTokenMode.InvalidJson),
            ("Decode", "$t = Get-SmtpOAuthToken -Profile Sweep -AsSecureString; Get-SmtpOAuthToken -Decode -Token $t | Format-List *; $p = [System.Net.NetworkCredential]::new('', $t).Password; Get-SmtpOAuthToken -Decode -Token ($p.Substring(0, $p.Length - 20)); Get-SmtpOAuthToken -Decode -Token ($p.Split('.')[0] + '.!!' + $p.Split('.')[1] + '.x'); Get-SmtpOAuthToken -Decode -Token ('Bearer ' + $p)", null),

            // Sending: every parameter set, success and failure, protocol log on.
            ("Send profile", "Send-SmtpOAuthMessage -To a@fabrikam.com -Subject 'sweep profile' -Profile Sweep -ProtocolLogPath $log -FailedMessagePath $Failed -PassThru -Verbose -Debug | Format-List *", null),
            ("Send access token", "$t = Get-SmtpOAuthToken -Profile Sweep -AsSecureString; Send-SmtpOAuthMessage -To a@fabrikam.com -Subject 'sweep token' -From $Mailbox -AccessToken $t -SmtpServer $Server -Port $Port -ProtocolLogPath $log -PassThru", null),
            ("Send credential send-as denied", "$t = Get-SmtpOAuthToken -Profile Sweep -AsSecureString; Send-SmtpOAuthMessage -To a@fabrikam.com -Subject 'sweep denied' -From $Shared -Credential ([pscredential]::new($Mailbox, $t)) -SmtpServer $Server -Port $Port -ProtocolLogPath $log -FailedMessagePath $Failed -PassThru", null),
            ("Send delivery unknown", "Send-SmtpOAuthMessage -To a@fabrikam.com -Subject 'sweep unknown' -Profile Sweep -ProtocolLogPath $log -FailedMessagePath $Failed -PassThru -RetryIntervalSec 0", () => Emulator.Faults.DropConnectionAt = EmuStage.EndOfData),
            ("Send retried", "Send-SmtpOAuthMessage -To a@fabrikam.com -Subject 'sweep retried' -Profile Sweep -ProtocolLogPath $log -FailedMessagePath $Failed -PassThru -RetryIntervalSec 0", () => { Emulator.Faults.TransientReplyAt = EmuStage.RcptTo; Emulator.Faults.DropConnectionAt = EmuStage.MailFrom; }),
            ("Send resend", "[System.IO.Directory]::GetFiles($Failed, '*.eml') | ForEach-Object { [pscustomobject]@{ MessagePath = $_ } } | Send-SmtpOAuthMessage -Profile Sweep -ProtocolLogPath $log -PassThru; $r = Send-SmtpOAuthMessage -To b@fabrikam.com -Subject 'sweep again' -Profile Sweep -PassThru; Send-SmtpOAuthMessage -Message $r -Profile Sweep -PassThru", null),
            ("Send rejected token", "$bad = [System.Net.NetworkCredential]::new('', 'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ4In0.c2lnbmF0dXJl').SecurePassword; Send-SmtpOAuthMessage -To a@fabrikam.com -Subject 'sweep 535' -From $Mailbox -AccessToken $bad -SmtpServer $Server -Port $Port -ProtocolLogPath $log", null),
            ("Send auth disabled", "Set-CASMailbox -Identity $Mailbox -SmtpClientAuthenticationDisabled $true; Send-SmtpOAuthMessage -To a@fabrikam.com -Subject 'sweep disabled' -Profile Sweep -ProtocolLogPath $log -FailedMessagePath $Failed; Set-CASMailbox -Identity $Mailbox -SmtpClientAuthenticationDisabled $false", null),
            ("Send untrusted server", "Send-SmtpOAuthMessage -To a@fabrikam.com -Subject 'sweep tls' -Profile Sweep -ProtocolLogPath $log -FailedMessagePath $Failed -TimeoutSec 5", () => Emulator.Faults.SmtpServerCertificate = HostileCertificates.SelfSigned),
            ("Send wrong secret profile", "New-SmtpOAuthProfile -Name SweepWrong2 -TenantId $TenantId -ClientId $ClientId -ClientSecret $wrong -Mailbox $Mailbox -AuthorityHost $Authority -AllowNonMicrosoftHost -SmtpServer $Server -Port $Port -AllowUnprotectedSecret -Force -Confirm:$false; Send-SmtpOAuthMessage -To a@fabrikam.com -Subject 'sweep wrong' -Profile SweepWrong2 -ProtocolLogPath $log", null),
            ("Send delegated and pfx", "Send-SmtpOAuthMessage -To a@fabrikam.com -Subject 'sweep delegated' -Profile SweepDelegated -ProtocolLogPath $log -PassThru; Send-SmtpOAuthMessage -To a@fabrikam.com -Subject 'sweep pfx' -Profile SweepPfx -ProtocolLogPath $log -PassThru", () => Emulator.Tokens.AutoApproveDeviceCodesFor = Tenant.DelegatedUser),
            ("Send bad input", "Send-SmtpOAuthMessage -To 'not an address' -Subject s -Profile Sweep; Send-SmtpOAuthMessage -To a@fabrikam.com -Subject \"x`r`nBcc: e@x.com\" -Profile Sweep; Send-SmtpOAuthMessage -MessagePath ./missing.eml -Profile Sweep", null),

            // The setup doctor: passing, failing at the token, and what -Fix would do.
            ("Setup pass", "Test-SmtpOAuthSetup -Profile Sweep -TestRecipient someone@fabrikam.com -Verbose | Format-List *", null),
            ("Setup wrong secret", "Test-SmtpOAuthSetup -Profile SweepWrong2 -Verbose | Format-List *", null),
            ("Setup fix whatif", "Test-SmtpOAuthSetup -Profile Sweep -Fix -WhatIf; Test-SmtpOAuthSetup -Profile SweepPfx -Quiet; Test-SmtpOAuthSetup -Profile Sweep -SkipExchange", null),

            // Rotation through the admin's Graph session (last: it replaces the tenant's secret). Every secret the app
            // holds afterwards is searched for too (Secrets()).
            ("Rotate", "Connect-MgGraph -Scopes Application.ReadWrite.All -NoWelcome; Update-SmtpOAuthCredential -Profile Sweep -RemoveOld -Confirm:$false -Verbose | Format-List *; Update-SmtpOAuthCredential -Profile Sweep -RemoveOld -WhatIf; Get-SmtpOAuthSettings -Profile Sweep -IncludeSecret | Format-List *; Send-SmtpOAuthMessage -To a@fabrikam.com -Subject 'sweep rotated' -Profile Sweep -ProtocolLogPath $log -PassThru", null),
            ("Rotate failed proof", "Set-CASMailbox -Identity $Mailbox -SmtpClientAuthenticationDisabled $true; Update-SmtpOAuthCredential -Profile Sweep -RemoveOld -Confirm:$false -Verbose; Set-CASMailbox -Identity $Mailbox -SmtpClientAuthenticationDisabled $false; Update-SmtpOAuthCredential -Profile SweepDelegated", null),
        };

        var records = 0;
        try
        {
            foreach (var (name, script, arrange) in cases)
            {
                foreach (var render in new[] { false, true })
                {
                    Emulator.Faults.Reset();
                    Emulator.Faults.SmtpSettings.MessagesPerRateWindow = 100_000;
                    arrange?.Invoke();
                    var result = Run(Prelude + script, parameters, render);
                    records += Collect(name + (render ? " (rendered)" : string.Empty), result);
                    RememberAppSecrets();
                }
            }
        }
        finally
        {
            Emulator.Tokens.AutoApproveDeviceCodesFor = null;
        }

        var ownerOnlyStores = 0;
        foreach (var folder in new[] { Fixture.ProfileHome, logs, failed })
        {
            foreach (var file in Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories) : Enumerable.Empty<string>())
            {
                if (file == pfx)
                {
                    continue;
                }

                if (IsOwnerOnlyStore(file))
                {
                    // Where no DPAPI exists the user chose these stores (-AllowUnprotectedSecret, a device-code sign-in):
                    // they hold the secret or refresh token by design, readable by the user alone.
                    ownerOnlyStores++;
                    if (!OperatingSystem.IsWindows())
                    {
                        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
                        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
                    }

                    continue;
                }

                var bytes = File.ReadAllBytes(file);
                _artefacts.Add(("file " + Path.GetFileName(file), Encoding.UTF8.GetString(bytes) + "\n" + Encoding.Latin1.GetString(bytes)));
            }
        }

        // The sweep must have reached what it claims to search.
        Assert.True(ownerOnlyStores >= 2, "no owner-only secret or sign-in file was written");
        Assert.Contains(_artefacts, a => a.Name.StartsWith("file ", StringComparison.Ordinal) && a.Text.Contains("AUTH XOAUTH2", StringComparison.Ordinal));
        Assert.Contains(_artefacts, a => a.Name.StartsWith("file ", StringComparison.Ordinal) && a.Name.EndsWith(".eml", StringComparison.Ordinal));
        Assert.Contains(_artefacts, a => a.Name.StartsWith("file ", StringComparison.Ordinal) && a.Text.Contains("SweepPfx", StringComparison.Ordinal));
        Assert.Contains(_artefacts, a => a.Text.Contains("AADSTS7000215", StringComparison.Ordinal));
        Assert.Contains(_artefacts, a => a.Text.Contains("TlsHandshakeFailed", StringComparison.Ordinal));
        var secrets = Secrets();
        Assert.Contains(secrets, s => s.Kind == "refresh or id token");
        Assert.True(secrets.Count(s => s.Kind == "rotated client secret") >= 2, "the rotation cases rotated nothing");
        Assert.True(secrets.Count(s => s.Kind == "access token") >= 5, "too few access tokens were issued: " + secrets.Count(s => s.Kind == "access token"));

        var hits = new List<string>();
        foreach (var (name, text) in _artefacts)
        {
            foreach (var (kind, value) in secrets)
            {
                if (text.Contains(value, StringComparison.Ordinal))
                {
                    hits.Add($"{kind} in {name}");
                }
            }
        }

        _output.WriteLine($"{cases.Count} cases x 2 runs, {_artefacts.Count} artefacts ({records} error records), {secrets.Count} secret strings, {hits.Count} hits");
        ReliabilityFigures.Record("secrets.artefacts", _artefacts.Count);
        ReliabilityFigures.Record("secrets.strings", secrets.Count);
        ReliabilityFigures.Record("secrets.hits", hits.Count);
        Assert.True(hits.Count == 0, string.Join(Environment.NewLine, hits.Distinct()));
    }

    /// <summary>Each stream item, each error record and the host's screen become artefacts of their own.</summary>
    private int Collect(string name, ScriptResult result)
    {
        foreach (var item in result.Output)
        {
            var text = new StringBuilder(item?.ToString());
            foreach (var property in item?.Properties ?? Enumerable.Empty<PSPropertyInfo>())
            {
                try
                {
                    text.Append('\n').Append(property.Name).Append('=').Append(property.Value is IEnumerable e and not string ? string.Join(",", e.Cast<object>()) : property.Value);
                }
                catch (Exception)
                {
                    // A getter that throws shows nothing to the user either.
                }
            }

            _artefacts.Add(($"{name}: output", text.ToString()));
        }

        var records = 0;
        foreach (var record in result.AllErrors)
        {
            records++;
            var text = new StringBuilder(ScriptResult.Describe(record));
            text.AppendLine(record.ToString());
            text.AppendLine(record.ErrorDetails?.ToString());
            text.AppendLine(record.InvocationInfo?.PositionMessage);
            text.AppendLine(Convert.ToString(record.TargetObject is PSObject p ? p.BaseObject : record.TargetObject));
            for (var exception = record.Exception; exception is not null; exception = exception.InnerException)
            {
                text.AppendLine(exception.ToString());
                foreach (DictionaryEntry entry in exception.Data)
                {
                    text.Append(entry.Key).Append('=').AppendLine(Convert.ToString(entry.Value));
                }
            }

            _artefacts.Add(($"{name}: error {record.FullyQualifiedErrorId}", text.ToString()));
        }

        foreach (var line in result.Warnings)
        {
            _artefacts.Add(($"{name}: warning", line));
        }

        foreach (var line in result.Verbose)
        {
            _artefacts.Add(($"{name}: verbose", line));
        }

        foreach (var line in result.Debug)
        {
            _artefacts.Add(($"{name}: debug", line));
        }

        foreach (var info in result.Information)
        {
            _artefacts.Add(($"{name}: information", Convert.ToString(info.MessageData) + " " + string.Join(",", info.Tags)));
        }

        foreach (var progress in result.Progress)
        {
            _artefacts.Add(($"{name}: progress", progress.Activity + " " + progress.StatusDescription + " " + progress.CurrentOperation));
        }

        _artefacts.Add(($"{name}: host", result.HostText));
        return records;
    }

    /// <summary>What must never show: secrets, the pfx password, every issued token and every XOAUTH2 blob made from one.</summary>
    private List<(string Kind, string Value)> Secrets()
    {
        var secrets = new List<(string Kind, string Value)>
        {
            ("client secret", Tenant.ClientSecret!),
            ("wrong client secret", WrongSecret),
            ("certificate password", CertificatePassword),
        };
        secrets.AddRange(_appSecrets.Where(s => s != Tenant.ClientSecret).Select(s => ("rotated client secret", s)));
        var mailboxes = new[] { Tenant.Mailbox, Tenant.DelegatedUser };
        foreach (var token in Emulator.Statistics.IssuedTokens.Distinct())
        {
            var parts = token.Split('.');
            var isAccessToken = parts.Length == 3 && PayloadOf(parts[1]).Contains("\"aud\":\"https://outlook", StringComparison.Ordinal);
            secrets.Add((isAccessToken ? "access token" : "refresh or id token", token));
            if (parts.Length == 3 && parts[2].Length >= 16)
            {
                // The signature alone identifies a token; a log that cut the token would still leak it.
                secrets.Add((isAccessToken ? "access token signature" : "refresh or id token signature", parts[2]));
            }

            if (isAccessToken)
            {
                foreach (var mailbox in mailboxes)
                {
                    var blob = Convert.ToBase64String(Encoding.UTF8.GetBytes($"user={mailbox}\u0001auth=Bearer {token}\u0001\u0001"));
                    secrets.Add(("XOAUTH2 blob", blob));
                    secrets.Add(("XOAUTH2 blob part", blob.Substring(blob.Length / 2, 48)));
                }
            }
        }

        return secrets;
    }

    /// <summary>Every secret the app held after a case: rotation adds (and removes) secrets the sweep must search for.</summary>
    private void RememberAppSecrets()
    {
        lock (Emulator.Tenant.SyncRoot)
        {
            foreach (var secret in Emulator.Tenant.Applications.SelectMany(a => a.Secrets).Where(s => s.Value.Length >= 8))
            {
                _appSecrets.Add(secret.Value);
            }
        }
    }

    private bool IsOwnerOnlyStore(string file)
    {
        var relative = Path.GetRelativePath(Fixture.ProfileHome, file).Replace('\\', '/');
        return (relative.StartsWith("secrets/", StringComparison.Ordinal) && relative.EndsWith(".secret", StringComparison.Ordinal))
            || relative.StartsWith("tokens/", StringComparison.Ordinal);
    }

    private static string PayloadOf(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            return string.Empty;
        }
    }

    private static X509Certificate2 NewCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=OAuthSmtp sweep", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));
    }
}
