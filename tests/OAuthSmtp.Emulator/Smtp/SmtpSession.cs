using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MimeKit;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>
/// One client connection, spoken as Exchange Online's submission endpoint speaks (EXCHANGE-FACTS §4, §5a, §8).
/// Replies are queued and flushed only when the server is about to wait for the client, so a pipelined batch of
/// commands gets its replies in one write (RFC 2920), and one flush the client waited for is one round trip.
/// </summary>
internal sealed class SmtpSession
{
    private const int MaxDataLineSegment = 1024 * 1024;
    private const int EndlessReplyLineLimit = 1_000_000;

    private readonly SmtpSubmissionServer _server;
    private readonly TcpClient _client;
    private readonly SmtpTranscript _transcript;
    private readonly string _sessionHex;
    private readonly string _clientAddress;
    private readonly MemoryStream _pending = new();
    private int _pendingReplies;

    private Stream _stream;
    private SmtpInputReader _reader;
    private bool _tls;
    private bool _greeted;
    private AuthenticatedPrincipal? _principal;
    private bool _holdsConnectionSlot;

    // The mail transaction.
    private string? _mailFrom;
    private Dictionary<string, string?> _mailParameters = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _recipients = new();
    private MemoryStream? _chunks;
    private bool _chunksTooLarge;

    public SmtpSession(SmtpSubmissionServer server, TcpClient client, long connectionId)
    {
        _server = server;
        _client = client;
        var context = server.Context;
        var now = context.Clock.UtcNow;
        _transcript = new SmtpTranscript(connectionId, now);
        // Exchange's bracketed ids look like .NET ticks in hex (08DE2A6028D26C22 is a 2025 instant).
        _sessionHex = (now.UtcTicks + connectionId).ToString("X16", CultureInfo.InvariantCulture);
        _clientAddress = (client.Client.RemoteEndPoint as IPEndPoint)?.Address.ToString() ?? "127.0.0.1";
        _stream = client.GetStream();
        _reader = new SmtpInputReader(_stream, () => Settings.ClientIdleTimeout);
    }

    private SmtpServerContext Context => _server.Context;

    private EmulatorFaults Faults => _server.Context.Faults;

    private SmtpBehaviorSettings Settings => _server.Context.Faults.SmtpSettings;

    private EmulatorStatistics Statistics => _server.Context.Statistics;

    private enum Outcome
    {
        Continue,
        Close,
        Drop,
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Statistics.CountSmtpConnection();
        Statistics.AddSmtpTranscript(_transcript);
        try
        {
            if (Faults.TryConsumeSmtpDrop(SmtpStage.Banner))
            {
                Note("fault: connection dropped before the banner");
                return;
            }

            if (Faults.SmtpNeverReplyAt == SmtpStage.Banner)
            {
                await Hostile.HostileSmtp.SilenceAsync(_reader, Note, cancellationToken).ConfigureAwait(false);
                return;
            }

            var transientBanner = Faults.TryConsumeSmtpTransientReply(SmtpStage.Banner);
            if (transientBanner is not null)
            {
                Reply(transientBanner);
                await FlushAsync(countRoundTrip: false, cancellationToken).ConfigureAwait(false);
                return;
            }

            Reply(Banner());
            await FlushAsync(countRoundTrip: false, cancellationToken).ConfigureAwait(false);

            while (!cancellationToken.IsCancellationRequested)
            {
                var line = await ReadClientLineAsync(cancellationToken).ConfigureAwait(false);
                if (line is null) break;
                var outcome = await HandleCommandAsync(line, cancellationToken).ConfigureAwait(false);
                if (outcome == Outcome.Drop) return;
                if (outcome == Outcome.Close)
                {
                    await FlushAsync(countRoundTrip: true, cancellationToken).ConfigureAwait(false);
                    return;
                }
            }

            if (cancellationToken.IsCancellationRequested) await TrySendFinalAsync(SmtpReplies.ServiceShuttingDown).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Note("client idle timeout");
            await TrySendFinalAsync(SmtpReplies.ConnectionTimedOut).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await TrySendFinalAsync(SmtpReplies.ServiceShuttingDown).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException or ObjectDisposedException)
        {
            Note("connection ended: " + ex.GetType().Name);
        }
        catch (Exception ex)
        {
            // An emulator defect must not pass silently: the transcript says what broke, the client gets a 4xx.
            Note($"server error: {ex.GetType().Name}: {ex.Message}");
            await TrySendFinalAsync(SmtpReplies.ServiceShuttingDown).ConfigureAwait(false);
        }
        finally
        {
            if (_holdsConnectionSlot && _principal is not null)
            {
                _server.Limits.ReleaseConnection(_principal.Mailbox);
                _holdsConnectionSlot = false;
            }

            await _stream.DisposeAsync().ConfigureAwait(false);
            _client.Dispose();
        }
    }

    // ---- reading and writing ----

    /// <summary>The next command or SASL line (without CRLF); flushes queued replies first when the client has sent nothing more.</summary>
    private async Task<string?> ReadClientLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!_reader.HasBufferedInput) await FlushAsync(countRoundTrip: true, cancellationToken).ConfigureAwait(false);
            var segment = await _reader.ReadLineAsync(Settings.MaxCommandLineLength, cancellationToken).ConfigureAwait(false);
            if (segment is null) return null;
            if (!segment.Value.Complete)
            {
                Note($"line longer than {Settings.MaxCommandLineLength} bytes");
                await _reader.SkipLineAsync(cancellationToken).ConfigureAwait(false);
                Reply(SmtpReplies.LineTooLong);
                continue;
            }

            var text = Encoding.UTF8.GetString(segment.Value.Bytes).TrimEnd('\r', '\n');
            _transcript.Add("C: ", text);
            return text;
        }
    }

    private void Reply(string reply)
    {
        _transcript.Add("S: ", reply);
        var bytes = Encoding.UTF8.GetBytes(reply + "\r\n");
        _pending.Write(bytes, 0, bytes.Length);
        _pendingReplies++;
    }

    private void Reply(SmtpReply reply) => Reply(Format(reply));

    private string Format(SmtpReply reply) => reply.AppendHostTag ? $"{reply.Code} {reply.Text} {HostTag()}" : $"{reply.Code} {reply.Text}";

    private void ReplyMultiline(IReadOnlyList<string> lines, int code)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var separator = i == lines.Count - 1 ? ' ' : '-';
            var text = $"{code}{separator}{lines[i]}";
            _transcript.Add("S: ", text);
            var bytes = Encoding.UTF8.GetBytes(text + "\r\n");
            _pending.Write(bytes, 0, bytes.Length);
        }

        _pendingReplies++;
    }

    private async Task FlushAsync(bool countRoundTrip, CancellationToken cancellationToken)
    {
        if (_pending.Length == 0) return;
        var latency = Faults.SmtpReplyLatencyMs;
        if (latency > 0) await Task.Delay(latency, cancellationToken).ConfigureAwait(false);

        var bytes = _pending.ToArray();
        _pending.SetLength(0);
        var replies = _pendingReplies;
        _pendingReplies = 0;
        // Counted before the write so a client that has read the reply always sees it counted.
        Statistics.CountSmtpReplies(replies);
        if (countRoundTrip) Statistics.CountSmtpRoundTrip();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Settings.ClientIdleTimeout);
        if (Faults.SmtpReplyOneByteAtATime)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                await _stream.WriteAsync(bytes.AsMemory(i, 1), timeout.Token).ConfigureAwait(false);
                await _stream.FlushAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        else
        {
            await _stream.WriteAsync(bytes, timeout.Token).ConfigureAwait(false);
            await _stream.FlushAsync(timeout.Token).ConfigureAwait(false);
        }

    }

    private async Task TrySendFinalAsync(string reply)
    {
        try
        {
            _pending.SetLength(0);
            _pendingReplies = 0;
            Reply(reply);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _stream.WriteAsync(_pending.ToArray(), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The client is gone; nothing to tell it.
        }
    }

    private void Note(string note) => _transcript.Add("# ", note);

    private string Banner() =>
        $"220 {Context.HostName} Microsoft ESMTP MAIL Service ready at " +
        Context.Clock.UtcNow.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture) +
        $" +0000 [{_sessionHex}]";

    private string HostTag() =>
        $"[{Context.HostName} {Context.Clock.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)} {_sessionHex}]";

    // ---- commands ----

    private async Task<Outcome> HandleCommandAsync(string line, CancellationToken cancellationToken)
    {
        var space = line.IndexOf(' ');
        var verb = (space < 0 ? line : line.Substring(0, space)).ToUpperInvariant();
        var argument = space < 0 ? "" : line.Substring(space + 1);
        Statistics.CountSmtpCommand(verb.Length == 0 ? "(empty)" : verb);

        var stage = verb switch
        {
            "EHLO" or "HELO" => SmtpStage.Ehlo,
            "STARTTLS" => SmtpStage.StartTls,
            "AUTH" => SmtpStage.Auth,
            "MAIL" => SmtpStage.MailFrom,
            "RCPT" => SmtpStage.RcptTo,
            "DATA" => SmtpStage.Data,
            "BDAT" when _chunks is null => SmtpStage.Data,
            _ => (SmtpStage?)null,
        };
        if (stage is not null)
        {
            if (Faults.TryConsumeSmtpDrop(stage.Value))
            {
                Note($"fault: connection dropped at {stage}");
                return Outcome.Drop;
            }

            if (Faults.SmtpNeverReplyAt == stage.Value)
            {
                await FlushAsync(countRoundTrip: false, cancellationToken).ConfigureAwait(false);
                await Hostile.HostileSmtp.SilenceAsync(_reader, Note, cancellationToken).ConfigureAwait(false);
                return Outcome.Drop;
            }

            // A BDAT chunk's bytes follow the command whatever the reply; they cannot be answered with a transient reply here.
            var transient = verb == "BDAT" ? null : Faults.TryConsumeSmtpTransientReply(stage.Value);
            if (transient is not null)
            {
                Note($"fault: transient reply at {stage}");
                Reply(transient);
                return Outcome.Continue;
            }
        }

        switch (verb)
        {
            case "EHLO":
                return await EhloAsync(argument, extended: true, cancellationToken).ConfigureAwait(false);
            case "HELO":
                return await EhloAsync(argument, extended: false, cancellationToken).ConfigureAwait(false);
            case "STARTTLS":
                return await StartTlsAsync(cancellationToken).ConfigureAwait(false);
            case "AUTH":
                return await AuthAsync(argument, cancellationToken).ConfigureAwait(false);
            case "MAIL":
                MailFrom(argument);
                return Outcome.Continue;
            case "RCPT":
                RcptTo(argument);
                return Outcome.Continue;
            case "DATA":
                return await DataAsync(argument, cancellationToken).ConfigureAwait(false);
            case "BDAT":
                return await BdatAsync(argument, cancellationToken).ConfigureAwait(false);
            case "RSET":
                ResetTransaction();
                Reply(SmtpReplies.Resetting);
                return Outcome.Continue;
            case "NOOP":
                Reply(SmtpReplies.Ok);
                return Outcome.Continue;
            case "QUIT":
                Reply(Settings.QuitReply);
                return Outcome.Close;
            default:
                Reply(SmtpReplies.UnrecognizedCommand(verb));
                return Outcome.Continue;
        }
    }

    private async Task<Outcome> EhloAsync(string argument, bool extended, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(argument))
        {
            Reply(SmtpReplies.InvalidDomainName);
            return Outcome.Continue;
        }

        ResetTransaction();
        _greeted = true;
        var hello = $"{Context.HostName} Hello [{_clientAddress}]";
        if (!extended)
        {
            Reply("250 " + hello);
            return Outcome.Continue;
        }

        if (Faults.SmtpOversizedReplyBytes > 0)
        {
            await FlushAsync(countRoundTrip: false, cancellationToken).ConfigureAwait(false);
            await Hostile.HostileSmtp.OversizedLineAsync(_stream, Faults.SmtpOversizedReplyBytes, Settings.ClientIdleTimeout, Note, cancellationToken).ConfigureAwait(false);
            return Outcome.Drop;
        }

        if (Faults.SmtpEndlessMultilineReply)
        {
            await SendEndlessReplyAsync(hello, cancellationToken).ConfigureAwait(false);
            return Outcome.Drop;
        }

        var lines = new List<string> { hello, "SIZE " + Settings.MaxMessageSize.ToString(CultureInfo.InvariantCulture), "PIPELINING", "DSN", "ENHANCEDSTATUSCODES" };
        if (_tls) lines.Add("AUTH LOGIN XOAUTH2");
        else if (!Faults.SmtpOmitStartTls) lines.Add("STARTTLS");
        lines.AddRange(new[] { "8BITMIME", "BINARYMIME", "CHUNKING", "SMTPUTF8" });
        ReplyMultiline(lines, 250);
        return Outcome.Continue;
    }

    /// <summary>Hostile mode: "250-" lines that never end, bounded by a line cap and the client leaving.</summary>
    private async Task SendEndlessReplyAsync(string hello, CancellationToken cancellationToken)
    {
        Note("fault: endless multi-line reply");
        await FlushAsync(countRoundTrip: false, cancellationToken).ConfigureAwait(false);
        var line = Encoding.ASCII.GetBytes($"250-{hello}\r\n");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Settings.ClientIdleTimeout);
        for (var i = 0; i < EndlessReplyLineLimit && !timeout.IsCancellationRequested; i++)
        {
            await _stream.WriteAsync(line, timeout.Token).ConfigureAwait(false);
        }
    }

    private async Task<Outcome> StartTlsAsync(CancellationToken cancellationToken)
    {
        if (Faults.SmtpOmitStartTls)
        {
            Reply(SmtpReplies.UnrecognizedCommand("STARTTLS"));
            return Outcome.Continue;
        }

        if (_tls)
        {
            Reply(SmtpReplies.OnlyOneStartTls);
            return Outcome.Continue;
        }

        Reply(SmtpReplies.StartTlsReady);
        await FlushAsync(countRoundTrip: true, cancellationToken).ConfigureAwait(false);
        if (Faults.SmtpGarbageAfterStartTls)
        {
            await Hostile.HostileSmtp.GarbageInsteadOfTlsAsync(_stream, _reader, Settings.ClientIdleTimeout, Note, cancellationToken).ConfigureAwait(false);
            return Outcome.Drop;
        }

        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(Settings.ClientIdleTimeout);
            var options = new SslServerAuthenticationOptions
            {
                ServerCertificate = Faults.SmtpServerCertificate ?? Context.ServerCertificate,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificateRequired = false,
            };
            try
            {
                await ssl.AuthenticateAsServerAsync(options, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
            {
                Note("TLS handshake failed: " + ex.GetType().Name);
                await ssl.DisposeAsync().ConfigureAwait(false);
                return Outcome.Drop;
            }
        }

        Note($"TLS established: {ssl.SslProtocol}");
        _stream = ssl;
        _reader.SwitchTo(ssl);
        _tls = true;
        // RFC 3207: the session starts over; the client must greet again.
        _greeted = false;
        ResetTransaction();
        return Outcome.Continue;
    }

    private async Task<Outcome> AuthAsync(string argument, CancellationToken cancellationToken)
    {
        if (!_tls)
        {
            // No AUTH is advertised before TLS.
            Reply(SmtpReplies.UnrecognizedAuthenticationType);
            return Outcome.Continue;
        }

        if (!_greeted)
        {
            Reply(SmtpReplies.SendHelloFirst);
            return Outcome.Continue;
        }

        if (_principal is not null)
        {
            Reply(SmtpReplies.AlreadyAuthenticated);
            return Outcome.Continue;
        }

        var parts = argument.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        var mechanism = parts.Length > 0 ? parts[0] : "";
        var initialResponse = parts.Length > 1 ? parts[1].Trim() : null;
        if (Settings.RequireUpperCaseMechanism && mechanism != mechanism.ToUpperInvariant())
        {
            Reply(SmtpReplies.UnrecognizedAuthenticationType);
            return Outcome.Continue;
        }

        switch (mechanism.ToUpperInvariant())
        {
            case "XOAUTH2":
                return await AuthXOAuth2Async(initialResponse, cancellationToken).ConfigureAwait(false);
            case "LOGIN":
                return await AuthLoginAsync(initialResponse, cancellationToken).ConfigureAwait(false);
            default:
                Reply(SmtpReplies.UnrecognizedAuthenticationType);
                return Outcome.Continue;
        }
    }

    private async Task<Outcome> AuthXOAuth2Async(string? initialResponse, CancellationToken cancellationToken)
    {
        var response = initialResponse;
        if (response is null || response == "=")
        {
            // Two-step form: an empty challenge, then the client's blob. Never a JSON challenge (§4).
            Reply(SmtpReplies.SaslEmptyChallenge);
            response = await ReadClientLineAsync(cancellationToken).ConfigureAwait(false);
            if (response is null) return Outcome.Drop;
        }

        if (response.Trim() == "*")
        {
            Reply(SmtpReplies.AuthenticationAborted);
            return Outcome.Continue;
        }

        if (!XOAuth2InitialResponse.TryDecode(response, out var user, out var token))
        {
            Note("XOAUTH2 response malformed");
            Statistics.CountSmtpAuthentication(succeeded: false);
            Reply(Settings.MalformedXOAuth2Reply);
            return Outcome.Continue;
        }

        var decision = _server.Policy.AuthenticateOAuth(user, token);
        Complete(decision);
        return Outcome.Continue;
    }

    private async Task<Outcome> AuthLoginAsync(string? initialResponse, CancellationToken cancellationToken)
    {
        var userResponse = initialResponse;
        if (userResponse is null)
        {
            Reply(SmtpReplies.LoginUsernameChallenge);
            userResponse = await ReadClientLineAsync(cancellationToken).ConfigureAwait(false);
            if (userResponse is null) return Outcome.Drop;
        }

        if (userResponse.Trim() == "*")
        {
            Reply(SmtpReplies.AuthenticationAborted);
            return Outcome.Continue;
        }

        Reply(SmtpReplies.LoginPasswordChallenge);
        var passwordResponse = await ReadClientLineAsync(cancellationToken).ConfigureAwait(false);
        if (passwordResponse is null) return Outcome.Drop;
        if (passwordResponse.Trim() == "*")
        {
            Reply(SmtpReplies.AuthenticationAborted);
            return Outcome.Continue;
        }

        if (!TryDecodeBase64(userResponse, out var user) || !TryDecodeBase64(passwordResponse, out var password))
        {
            Statistics.CountSmtpAuthentication(succeeded: false);
            Reply(SmtpReplies.CannotBase64Decode);
            return Outcome.Continue;
        }

        Complete(_server.Policy.AuthenticateBasic(user, password));
        return Outcome.Continue;
    }

    private void Complete(AuthDecision decision)
    {
        if (decision.Reason is not null) Note("policy: " + decision.Reason);
        Statistics.CountSmtpAuthentication(decision.Accepted);
        Reply(decision.Reply);
        if (!decision.Accepted) return;

        _principal = decision.Principal!;
        _transcript.AuthenticatedMailbox = _principal.Mailbox;
        _holdsConnectionSlot = _server.Limits.TryAcquireConnection(_principal.Mailbox, Settings.MaxConcurrentConnectionsPerMailbox);
        if (!_holdsConnectionSlot) Note($"mailbox {_principal.Mailbox} is over its concurrent connection limit");
    }

    private static bool TryDecodeBase64(string text, out string value)
    {
        value = "";
        var buffer = new byte[text.Length];
        if (!Convert.TryFromBase64String(text.Trim(), buffer, out var length)) return false;
        value = Encoding.UTF8.GetString(buffer, 0, length);
        return true;
    }

    private void MailFrom(string argument)
    {
        if (!_greeted)
        {
            Reply(SmtpReplies.SendHelloFirst);
            return;
        }

        if (_principal is null)
        {
            Reply(Settings.UseLegacyNotAuthenticatedText ? SmtpReplies.NotAuthenticatedLegacy : $"{SmtpReplies.NotAuthenticated} {HostTag()}");
            return;
        }

        if (_mailFrom is not null)
        {
            Reply(SmtpReplies.SenderAlreadySpecified);
            return;
        }

        if (!_holdsConnectionSlot)
        {
            _holdsConnectionSlot = _server.Limits.TryAcquireConnection(_principal.Mailbox, Settings.MaxConcurrentConnectionsPerMailbox);
            if (!_holdsConnectionSlot)
            {
                Reply(Settings.UseLegacyConcurrencyText ? SmtpReplies.ConcurrencyExceededLegacy : SmtpReplies.ConcurrencyExceeded);
                return;
            }
        }

        var command = SmtpEnvelopeCommand.TryParse(argument, "FROM");
        if (command is null)
        {
            Reply(SmtpReplies.InvalidArguments);
            return;
        }

        if (command.Address.Length > 0 && !SmtpEnvelopeCommand.IsMailboxAddress(command.Address))
        {
            Reply(SmtpReplies.InvalidSenderAddress);
            return;
        }

        foreach (var (name, value) in command.Parameters)
        {
            var problem = CheckMailParameter(name.ToUpperInvariant(), value);
            if (problem is not null)
            {
                Reply(problem);
                return;
            }
        }

        var refusal = _server.Policy.CheckMailFrom(_principal, command.Address);
        if (refusal is not null)
        {
            Reply(refusal);
            return;
        }

        _mailFrom = command.Address;
        _mailParameters = new Dictionary<string, string?>(command.Parameters, StringComparer.OrdinalIgnoreCase);
        Reply(SmtpReplies.SenderOk);
    }

    private string? CheckMailParameter(string name, string? value)
    {
        switch (name)
        {
            case "SIZE":
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size)) return SmtpReplies.InvalidArguments;
                return size > Settings.MaxMessageSize ? SmtpReplies.MessageTooLarge : null;
            case "BODY":
                return value?.ToUpperInvariant() is "7BIT" or "8BITMIME" or "BINARYMIME" ? null : SmtpReplies.InvalidArguments;
            case "SMTPUTF8":
                return value is null ? null : SmtpReplies.InvalidArguments;
            case "RET":
                return value?.ToUpperInvariant() is "FULL" or "HDRS" ? null : SmtpReplies.InvalidArguments;
            case "ENVID":
                return string.IsNullOrEmpty(value) || value.Length > 100 ? SmtpReplies.InvalidArguments : null;
            case "AUTH":
                return null;
            default:
                return SmtpReplies.UnsupportedParameter(name);
        }
    }

    private void RcptTo(string argument)
    {
        if (_principal is null)
        {
            Reply(Settings.UseLegacyNotAuthenticatedText ? SmtpReplies.NotAuthenticatedLegacy : $"{SmtpReplies.NotAuthenticated} {HostTag()}");
            return;
        }

        if (_mailFrom is null)
        {
            Reply(SmtpReplies.NeedMailCommand);
            return;
        }

        var command = SmtpEnvelopeCommand.TryParse(argument, "TO");
        if (command is null || !SmtpEnvelopeCommand.IsMailboxAddress(command.Address))
        {
            Reply(command is null ? SmtpReplies.InvalidArguments : SmtpReplies.InvalidRecipientAddress);
            return;
        }

        foreach (var (name, value) in command.Parameters)
        {
            var upper = name.ToUpperInvariant();
            var valid = upper switch
            {
                "NOTIFY" => IsValidNotify(value),
                "ORCPT" => value is not null && value.Contains(';', StringComparison.Ordinal),
                _ => false,
            };
            if (!valid)
            {
                Reply(upper is "NOTIFY" or "ORCPT" ? SmtpReplies.InvalidArguments : SmtpReplies.UnsupportedParameter(name));
                return;
            }
        }

        if (Faults.TryConsumeServerBusy())
        {
            Note("server busy: recipient refused for now");
            Reply(SmtpReplies.ServerBusy(_clientAddress));
            return;
        }

        var refusal = _server.Policy.CheckRecipient(_principal, _clientAddress, command.Address);
        if (refusal is not null)
        {
            Reply(refusal);
            return;
        }

        if (_recipients.Count >= Settings.MaxRecipientsPerMessage)
        {
            Reply(SmtpReplies.TooManyRecipients);
            return;
        }

        _recipients.Add(command.Address);
        Reply(SmtpReplies.RecipientOk);
    }

    private static bool IsValidNotify(string? value)
    {
        if (string.IsNullOrEmpty(value)) return false;
        var items = value.ToUpperInvariant().Split(',');
        if (items.Contains("NEVER")) return items.Length == 1;
        return items.All(i => i is "SUCCESS" or "FAILURE" or "DELAY");
    }

    private string? TransactionProblem()
    {
        if (_principal is null) return Settings.UseLegacyNotAuthenticatedText ? SmtpReplies.NotAuthenticatedLegacy : $"{SmtpReplies.NotAuthenticated} {HostTag()}";
        if (_mailFrom is null) return SmtpReplies.NeedMailCommand;
        if (_recipients.Count == 0) return SmtpReplies.NeedRcptCommand;
        return null;
    }

    private async Task<Outcome> DataAsync(string argument, CancellationToken cancellationToken)
    {
        var problem = _chunks is not null ? SmtpReplies.BdatInProgress : TransactionProblem();
        if (problem is null && string.Equals(BodyType, "BINARYMIME", StringComparison.OrdinalIgnoreCase)) problem = SmtpReplies.BdatRequiredForBinaryMime;
        if (problem is null && argument.Length > 0) problem = SmtpReplies.InvalidArguments;
        if (problem is not null)
        {
            Reply(problem);
            return Outcome.Continue;
        }

        Reply(SmtpReplies.StartMailInput);
        await FlushAsync(countRoundTrip: true, cancellationToken).ConfigureAwait(false);

        var message = new MemoryStream();
        var tooLarge = false;
        var atLineStart = true;
        while (true)
        {
            var segment = await _reader.ReadLineAsync(MaxDataLineSegment, cancellationToken).ConfigureAwait(false);
            if (segment is null) return Outcome.Drop;
            var bytes = segment.Value.Bytes;
            var offset = 0;
            if (atLineStart && bytes.Length > 0 && bytes[0] == (byte)'.')
            {
                if (segment.Value.Complete && IsTerminator(bytes)) break;
                offset = 1; // dot-unstuffing (RFC 5321 §4.5.2)
            }

            if (!tooLarge)
            {
                message.Write(bytes, offset, bytes.Length - offset);
                if (message.Length > Settings.MaxMessageSize)
                {
                    tooLarge = true;
                    message.SetLength(0);
                }
            }

            atLineStart = segment.Value.Complete;
        }

        _transcript.Add("C: ", tooLarge ? "<message data over the size limit, discarded>" : $"<message data, {message.Length} bytes>");
        _transcript.Add("C: ", ".");
        return await EndOfMessageAsync(tooLarge ? null : message.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private static bool IsTerminator(byte[] line) =>
        (line.Length == 3 && line[1] == '\r' && line[2] == '\n') || (line.Length == 2 && line[1] == '\n');

    private string? BodyType => _mailParameters.TryGetValue("BODY", out var body) ? body : null;

    private async Task<Outcome> BdatAsync(string argument, CancellationToken cancellationToken)
    {
        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 1 or > 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || (parts.Length == 2 && !parts[1].Equals("LAST", StringComparison.OrdinalIgnoreCase)))
        {
            // The chunk's length is unknown, so the byte stream cannot be resynchronised: answer and close.
            Reply(SmtpReplies.InvalidArguments);
            return Outcome.Close;
        }

        var last = parts.Length == 2;
        var problem = TransactionProblem();
        if (problem is not null)
        {
            var drained = await _reader.ReadExactAsync(size, sink: null, cancellationToken).ConfigureAwait(false);
            if (!drained) return Outcome.Drop;
            _transcript.Add("C: ", $"<chunk, {size} bytes, discarded>");
            Reply(problem);
            return Outcome.Continue;
        }

        _chunks ??= new MemoryStream();
        var tooLarge = _chunksTooLarge || _chunks.Length + size > Settings.MaxMessageSize;
        if (tooLarge && !_chunksTooLarge)
        {
            _chunksTooLarge = true;
            _chunks.SetLength(0);
        }

        if (!await _reader.ReadExactAsync(size, tooLarge ? null : _chunks, cancellationToken).ConfigureAwait(false)) return Outcome.Drop;
        _transcript.Add("C: ", $"<chunk, {size} bytes{(last ? ", last" : "")}>");
        if (!last)
        {
            Reply(SmtpReplies.ChunkReceived(size));
            return Outcome.Continue;
        }

        var message = _chunksTooLarge ? null : _chunks.ToArray();
        return await EndOfMessageAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The message is complete (null = over the size limit): check, throttle, store, answer; the transaction ends either way.</summary>
    private async Task<Outcome> EndOfMessageAsync(byte[]? raw, CancellationToken cancellationToken)
    {
        var principal = _principal!;
        var mailFrom = _mailFrom!;
        var recipients = _recipients.ToArray();
        ResetTransaction();

        if (Faults.TryConsumeSmtpDrop(SmtpStage.BeforeEndOfData))
        {
            Note("fault: connection dropped before the message was stored");
            return Outcome.Drop;
        }

        var transient = Faults.TryConsumeSmtpTransientReply(SmtpStage.BeforeEndOfData) ?? Faults.TryConsumeSmtpTransientReply(SmtpStage.EndOfData);
        if (transient is not null)
        {
            Note("fault: transient reply at end of data; message not stored");
            Reply(transient);
            return Outcome.Continue;
        }

        if (raw is null || raw.LongLength > _server.Policy.MaxSendSize(principal))
        {
            Reply(SmtpReplies.MessageTooLarge);
            return Outcome.Continue;
        }

        MimeMessage? parsed = null;
        try
        {
            parsed = MimeMessage.Load(new MemoryStream(raw, writable: false), cancellationToken);
        }
        catch (FormatException)
        {
            Note("message did not parse as MIME");
        }

        var fromAddresses = parsed?.From.Mailboxes.Select(m => m.Address).ToArray() ?? Array.Empty<string>();
        var refusal = _server.Policy.CheckMessage(principal, fromAddresses, recipients);
        if (refusal is not null)
        {
            Reply(refusal);
            return Outcome.Continue;
        }

        if (!_server.Limits.TryChargeRecipients(principal.Mailbox, recipients.Length, Settings.RecipientsPerDay, Context.Clock.UtcNow))
        {
            Note($"mailbox {principal.Mailbox} is over {Settings.RecipientsPerDay} recipients in 24 hours");
            Reply($"{SmtpReplies.SubmissionQuotaExceeded} {HostTag()}");
            return Outcome.Continue;
        }

        var hold = _server.Limits.ReserveSubmission(principal.Mailbox, Settings.MessagesPerRateWindow, Settings.MessageRateWindow, DateTimeOffset.UtcNow)
                   + Faults.TryConsumeSmtpThrottle();
        if (hold > TimeSpan.Zero)
        {
            Note($"submission held {hold.TotalMilliseconds:0} ms (message rate)");
            await Task.Delay(hold, cancellationToken).ConfigureAwait(false);
        }

        var messageId = parsed?.MessageId is { Length: > 0 } id ? id : $"{Guid.NewGuid():N}@{Context.HostName}";
        Context.Delivered.Add(new DeliveredMessage
        {
            From = parsed is null ? "" : string.Join(", ", fromAddresses),
            To = recipients,
            Subject = parsed?.Subject ?? "",
            MessageId = messageId,
            MailFrom = mailFrom,
            AuthenticatedMailbox = principal.Mailbox,
            AuthenticatedPrincipalId = principal.PrincipalId,
            ReceivedAt = Context.Clock.UtcNow,
            Raw = raw,
        });
        Statistics.CountSmtpMessageAccepted();
        Note($"message {messageId} stored");

        if (Faults.TryConsumeSmtpDrop(SmtpStage.EndOfData))
        {
            Note("fault: connection dropped after the message was stored (delivery unknown to the client)");
            return Outcome.Drop;
        }

        Reply($"250 2.0.0 OK <{messageId}> [Hostname={Context.HostName}]");
        return Outcome.Continue;
    }

    private void ResetTransaction()
    {
        _mailFrom = null;
        _mailParameters = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        _recipients.Clear();
        _chunks = null;
        _chunksTooLarge = false;
    }
}
