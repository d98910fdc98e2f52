using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>
/// One client connection, spoken as Exchange Online's submission endpoint speaks (EXCHANGE-FACTS §4, §5a, §8).
/// This file holds the state, the session loop and command dispatch; each SmtpSession.*.cs file holds one concern.
/// Replies are queued and flushed only when the server is about to wait for the client, so a pipelined batch of
/// commands gets its replies in one write (RFC 2920), and one flush the client waited for is one round trip.
/// </summary>
internal sealed partial class SmtpSession
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
    private bool _inSubmission;
    private bool _legacyTls;

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

            await HoldIfAskedAsync(SmtpStage.Banner, cancellationToken).ConfigureAwait(false);
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
            EndSubmission();

            await _stream.DisposeAsync().ConfigureAwait(false);
            _client.Dispose();
        }
    }

    /// <summary>Dispatches one command line, after the stage faults (drop, silence, transient reply) had their say.</summary>
    private async Task<Outcome> HandleCommandAsync(string line, CancellationToken cancellationToken)
    {
        if (_legacyTls)
        {
            // TLS 1.0/1.1: the handshake completed; the first command after it gets 421 4.7.66 and the session ends.
            Reply(SmtpReplies.LegacyTlsNotSupported(Context.HostName));
            return Outcome.Close;
        }

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

    /// <summary>Leaves the mailbox's concurrent submissions (if this session was in one).</summary>
    private void EndSubmission()
    {
        if (!_inSubmission || _principal is null) return;
        _server.Limits.EndSubmission(_principal.Mailbox);
        _inSubmission = false;
    }

    private void ResetTransaction()
    {
        EndSubmission();
        _mailFrom = null;
        _mailParameters = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        _recipients.Clear();
        _chunks = null;
        _chunksTooLarge = false;
    }
}
