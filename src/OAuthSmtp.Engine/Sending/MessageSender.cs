using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Smtp;
using MimeKit;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Retries;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// Sends a pipeline of messages over one <see cref="SmtpSession"/> and gives every message exactly one
/// <see cref="SendResult"/>: Sent, Failed (with the translated error), DeliveryUnknown, or Cancelled. Nothing opens
/// until the first message. Retries 4xx replies and connections lost before the data was complete through the
/// engine's one <see cref="RetryPolicy"/> (<see cref="SmtpSenderOptions.Retry"/>); never retries 5xx or a message
/// whose data was already sent.
/// </summary>
public sealed class MessageSender : IDisposable
{
    private readonly SmtpSenderOptions _options;
    private readonly SmtpSession _session;
    private readonly SendPacer _pacer;
    private readonly RetryPolicy _retry;

    /// <summary>The failure that stops the rest of the pipeline (a sender lockout, or the breaker opened); null while sending goes on.</summary>
    private OAuthSmtpException? _haltedBy;

    /// <summary>The id of the connection or token failure that ended the last messages, and how many in a row.</summary>
    private string? _repeatedFailureId;
    private int _repeatedFailures;

    /// <summary>True while the current attempt is still getting a connection (token, connect, TLS, AUTH).</summary>
    private bool _gettingSession;

    public MessageSender(SmtpSenderOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _session = new SmtpSession(options);
        _pacer = new SendPacer(options.MessagesPerMinute, options.Clock);
        _retry = options.Retry.WithClock(options.Clock);
    }

    /// <summary>SMTP connections opened so far (1 for a healthy pipeline).</summary>
    public int Connections => _session.Connections;

    public int Authentications => _session.Authentications;

    /// <summary>Times the token source was asked (it may answer from its cache).</summary>
    public int TokenRequests => _session.TokenRequests;

    public int Sent { get; private set; }

    public int NotSent { get; private set; }

    /// <summary>Messages whose delivery is unknown (counted in <see cref="NotSent"/> too).</summary>
    public int DeliveryUnknownCount { get; private set; }

    /// <summary>Where unsent messages were saved (-FailedMessagePath), or null when none were.</summary>
    public string? FailedMessageFolder { get; private set; }

    /// <summary>Where messages of unknown delivery were saved (a subfolder of -FailedMessagePath), or null.</summary>
    public string? DeliveryUnknownFolder { get; private set; }

    /// <summary>The failure that stopped the rest of the pipeline, or null.</summary>
    public OAuthSmtpException? HaltedBy => _haltedBy;

    /// <summary>One line for the host after a stop or at the end: what was sent, what is unknown, where the files are.</summary>
    public string Summary()
    {
        var text = new System.Text.StringBuilder();
        text.Append(Sent).Append(" sent, ").Append(DeliveryUnknownCount).Append(" delivery unknown, ").Append(NotSent - DeliveryUnknownCount).Append(" not sent.");
        if (DeliveryUnknownFolder is not null)
        {
            text.Append(" Messages that may have been delivered (check the message trace before resending): ").Append(DeliveryUnknownFolder).Append('.');
        }

        if (FailedMessageFolder is not null)
        {
            text.Append(" Messages not sent (safe to resend with -MessagePath): ").Append(FailedMessageFolder).Append('.');
        }

        return text.ToString();
    }

    public async Task<SendResult> SendAsync(PreparedMessage message, CancellationToken cancellationToken)
    {
        if (message is null)
        {
            throw new ArgumentNullException(nameof(message));
        }

        var watch = Stopwatch.StartNew();
        var attempt = new AttemptState();
        _gettingSession = false;
        if (_haltedBy is not null)
        {
            return Finish(message, SendStatus.Failed, null, 0, watch, Halted(message, _haltedBy));
        }

        message.SetReadTimeout(_options.TimeoutMs);
        try
        {
            await _pacer.WaitTurnAsync(cancellationToken).ConfigureAwait(false);
            var reply = await _retry.ExecuteAsync(
                (number, token) =>
                {
                    attempt.Number = number;
                    return AttemptAsync(message, attempt, token);
                },
                failure => failure is AttemptFailed { Retryable: true } ? RetryDecision.Again : RetryDecision.Stop,
                onRetry: null,
                cancellationToken).ConfigureAwait(false);
            return Finish(message, SendStatus.Sent, reply, attempt.Number, watch, null);
        }
        catch (AttemptFailed failed)
        {
            return Finish(message, failed.Status, attempt.LastReply, attempt.Number, watch, failed.Retryable ? Exhausted(failed.Error, attempt.Number) : failed.Error);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while waiting for its turn or for a retry: nothing of this message is in flight.
            return Finish(message, SendStatus.Cancelled, attempt.LastReply, attempt.Number, watch, Stopped(message, dataSent: false));
        }
        finally
        {
            message.ReleaseFiles();
        }
    }

    /// <summary>Sends QUIT and closes the connection (EndProcessing).</summary>
    public Task CloseAsync(CancellationToken cancellationToken) => _session.CloseAsync(cancellationToken);

    public void Dispose() => _session.Dispose();

    /// <summary>
    /// One offer of the message to the server. Returns the server's "250" text; any failure becomes an
    /// <see cref="AttemptFailed"/> that says whether the shared retry policy may try again: a 4xx reply Exchange
    /// means as temporary (<see cref="SmtpReplyException.IsTransient"/>) and a connection lost before the data was
    /// complete are retried; 5xx, a message whose data went out, a file that became unreadable and a stop are not.
    /// </summary>
    private async Task<string> AttemptAsync(PreparedMessage message, AttemptState attempt, CancellationToken cancellationToken)
    {
        var progress = new DataProgress();
        try
        {
            _gettingSession = true;
            var client = await _session.GetClientAsync(cancellationToken).ConfigureAwait(false);
            _gettingSession = false;
            if (message.NeedsSmtpUtf8 && (client.Capabilities & SmtpCapabilities.UTF8) == 0)
            {
                throw new OAuthSmtpException(
                    ErrorIds.SmtpUtf8NotSupported,
                    ErrorKind.InvalidArgument,
                    $"An address of the message has non-ASCII characters before the @, which only SMTPUTF8 can carry, and {_options.Host} does not offer SMTPUTF8.",
                    "Use the recipient's ASCII address (most mailboxes have one), or a server that offers SMTPUTF8 (Exchange Online does).",
                    message);
            }

            client.Current = message;
            var reply = await client.SendAsync(CreateFormat(message), message.Mime, message.Sender, message.Recipients, cancellationToken, progress).ConfigureAwait(false);
            return "250 " + reply.Trim();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _session.Abort();
            throw new AttemptFailed(progress.DataComplete ? SendStatus.DeliveryUnknown : SendStatus.Cancelled, Stopped(message, progress.DataComplete), retryable: false);
        }
        catch (ServiceNotAuthenticatedException ex)
        {
            // 530 5.7.57 inside a session that had authenticated: the server stopped honouring the token.
            // Reconnect once with a fresh token, within this attempt; the message was refused before its data, so
            // nothing is duplicated.
            var text = _session.Redact(ex.Message);
            var reply = new SmtpReply(530, text, SmtpStage.MailFrom);
            attempt.LastReply = reply.ToString();
            _session.Abort();
            if (!attempt.RenewedAfterAuthLoss)
            {
                attempt.RenewedAfterAuthLoss = true;
                _session.RenewTokenOnNextConnect();
                return await AttemptAsync(message, attempt, cancellationToken).ConfigureAwait(false);
            }

            throw new AttemptFailed(SendStatus.Failed, Translate(reply, message, ReferenceEquals(text, ex.Message) ? ex : null), retryable: false);
        }
        catch (SmtpCommandException ex)
        {
            // A server may echo the token: the reply is redacted, and MailKit's exception (which quotes it) is
            // kept as the inner exception only when there was nothing to redact.
            var text = _session.Redact(ex.Message);
            var reply = new SmtpReply((int)ex.StatusCode, text, StageOf(ex));
            attempt.LastReply = reply.ToString();
            var error = Translate(reply, message, ReferenceEquals(text, ex.Message) ? ex : null, ex.Mailbox?.Address);
            throw new AttemptFailed(SendStatus.Failed, error, retryable: error.IsTransient);
        }
        catch (Exception ex) when (SmtpSession.IsConnectionFailure(ex) || ex is SmtpConnectionException)
        {
            _session.Abort();
            if (progress.DataComplete)
            {
                throw new AttemptFailed(SendStatus.DeliveryUnknown, DeliveryUnknown(message, ex), retryable: false);
            }

            var error = ex as OAuthSmtpException ?? new SmtpConnectionException(
                $"The connection to {_options.Host}:{_options.Port} was lost while sending: {ServerText.Reason(ex)}",
                "Check the network path to the SMTP server; the message is attached to this error.",
                message,
                ex);
            throw new AttemptFailed(SendStatus.Failed, error, retryable: true);
        }
        catch (OAuthSmtpException ex) when (ex.ErrorId == ErrorIds.AttachmentUnreadable || ex.ErrorId == ErrorIds.MessageFileUnreadable)
        {
            // The file (an attachment or the .eml itself) changed after validation: this message's own error. The
            // connection stopped in the middle of the message (or before MAIL FROM), so it is dropped without QUIT:
            // the server discards a message whose data never ended. The next message reconnects.
            _session.Abort();
            throw new AttemptFailed(SendStatus.Failed, new OAuthSmtpException(ex.ErrorId, ex.Kind, ex.Message + " The rest of the pipeline goes on.", ex.Fix, message, ex), retryable: false);
        }
        catch (OAuthSmtpException ex)
        {
            if (ex is SmtpReplyException replyError)
            {
                attempt.LastReply = replyError.ServerReply;
            }

            if (ex.ErrorId != ErrorIds.MessageTooLarge && ex.ErrorId != ErrorIds.SmtpUtf8NotSupported)
            {
                // Authentication and TLS failures end the session, and a 4xx at connect or AUTH (454 4.7.0) needs a
                // new connection: the next attempt or message starts afresh.
                _session.Abort();
            }

            throw new AttemptFailed(SendStatus.Failed, ex, retryable: ex is SmtpReplyException { IsTransient: true });
        }
        finally
        {
            message.ReleaseFiles();
        }
    }

    private static FormatOptions CreateFormat(PreparedMessage message)
    {
        var format = FormatOptions.Default.Clone();
        format.HiddenHeaders.Add(HeaderId.Bcc);
        format.HiddenHeaders.Add(HeaderId.ResentBcc);
        format.International = message.NeedsSmtpUtf8;
        return format;
    }

    /// <summary>
    /// The circuit breaker: a sender lockout (550 5.2.25x) stops the pipeline at once, and the same connection or
    /// token failure ending <see cref="SmtpSenderOptions.HaltAfterRepeatedFailures"/> messages in a row stops it too,
    /// so a dead endpoint costs a few messages' timeouts instead of every row's. A message that was sent, or that
    /// failed on its own (a refused recipient, a bad attachment), shows the connection works and resets the count.
    /// </summary>
    private void ObserveForHalt(SendStatus status, OAuthSmtpException? error)
    {
        if (_haltedBy is not null || status == SendStatus.Cancelled || status == SendStatus.DeliveryUnknown)
        {
            return;
        }

        if (status == SendStatus.Sent || error is null || !_gettingSession && error.ErrorId != ErrorIds.SenderThrottled)
        {
            _repeatedFailureId = null;
            _repeatedFailures = 0;
            return;
        }

        if (error.ErrorId == ErrorIds.SenderThrottled)
        {
            _haltedBy = error;
            return;
        }

        _repeatedFailures = error.ErrorId == _repeatedFailureId ? _repeatedFailures + 1 : 1;
        _repeatedFailureId = error.ErrorId;
        if (_options.HaltAfterRepeatedFailures > 0 && _repeatedFailures >= _options.HaltAfterRepeatedFailures)
        {
            _haltedBy = error;
        }
    }

    private OAuthSmtpException Halted(PreparedMessage message, OAuthSmtpException cause) =>
        new(
            ErrorIds.PipelineHalted,
            ErrorKind.ResourceUnavailable,
            cause.ErrorId == ErrorIds.SenderThrottled
                ? $"Not sent and not tried: Exchange Online has locked mailbox '{_options.Mailbox}' out of sending ({cause.ErrorId}, reported for an earlier message), and every try now would only prolong the lockout."
                : $"Not sent and not tried: the same failure ({cause.ErrorId}) ended {_repeatedFailures} messages in a row, so the rest of the pipeline is not tried (each would wait for the same failure). The failure: {cause.Message}",
            (cause.Fix is null ? string.Empty : cause.Fix + " ") + "Then send these messages again with -Message (the results carry them) or -MessagePath (the files saved by -FailedMessagePath).",
            message,
            cause);

    private static SmtpStage StageOf(SmtpCommandException ex) => ex.ErrorCode switch
    {
        SmtpErrorCode.SenderNotAccepted => SmtpStage.MailFrom,
        SmtpErrorCode.RecipientNotAccepted => SmtpStage.RcptTo,
        _ => SmtpStage.Data,
    };

    private SmtpReplyException Translate(SmtpReply reply, PreparedMessage message, Exception? inner, string? recipient = null) =>
        SmtpReplyTranslator.Translate(reply, new SmtpReplyTranslator.Context(_options.Mailbox, message.From, recipient), message, inner);

    /// <summary>The last transient failure, kept under its own id (a 432 stays ConcurrentConnectionLimit), saying retries ran out.</summary>
    private static OAuthSmtpException Exhausted(OAuthSmtpException last, int attempts)
    {
        var message = $"Not sent after {attempts} attempt(s). {last.Message}";
        return last is SmtpReplyException reply
            ? new SmtpReplyException(reply.ErrorId, reply.Kind, message, reply.Fix, reply.Reply, reply.TargetObject, reply)
            : new OAuthSmtpException(last.ErrorId, last.Kind, message, last.Fix, last.TargetObject, last);
    }

    private OAuthSmtpException DeliveryUnknown(PreparedMessage message, Exception inner) =>
        new(
            ErrorIds.DeliveryUnknown,
            ErrorKind.ConnectionError,
            $"The connection to {_options.Host} was lost after the whole message '{message.Subject}' ({message.MessageId}) was sent and before the server confirmed it. It may or may not have been delivered, so it was not sent again (that could deliver it twice).",
            "Check the recipients' mailboxes or the message trace (Get-MessageTraceV2 -MessageId '<" + message.MessageId + ">') before sending it again with -Message.",
            message,
            inner);

    private static OAuthSmtpException Stopped(PreparedMessage message, bool dataSent) =>
        new(
            dataSent ? ErrorIds.DeliveryUnknown : ErrorIds.OperationStopped,
            ErrorKind.OperationStopped,
            dataSent
                ? $"Stopped after the message '{message.Subject}' ({message.MessageId}) was handed over and before the server confirmed it: it may have been delivered, so it is kept apart from the messages that were not sent."
                : $"Stopped before the message '{message.Subject}' was sent: it was not delivered.",
            dataSent
                ? $"Check the recipients' mailboxes or the message trace (Get-MessageTraceV2 -MessageId '<{message.MessageId}>') before sending it again; with -FailedMessagePath it is saved in the {FailedMessageStore.DeliveryUnknownFolder} subfolder."
                : "Send it again with -Message (or -MessagePath when it was saved with -FailedMessagePath).",
            message);

    private SendResult Finish(PreparedMessage message, SendStatus status, string? reply, int attempts, Stopwatch watch, OAuthSmtpException? error)
    {
        watch.Stop();
        var result = new SendResult(message, status, reply, attempts, watch.ElapsedMilliseconds, error, savedMessagePath: null);
        ObserveForHalt(status, error);
        if (status == SendStatus.Sent)
        {
            Sent++;
            return result;
        }

        NotSent++;
        if (status == SendStatus.DeliveryUnknown)
        {
            DeliveryUnknownCount++;
        }

        if (!string.IsNullOrEmpty(_options.FailedMessagePath))
        {
            try
            {
                result.SavedMessagePath = FailedMessageStore.Save(_options.FailedMessagePath!, message, status);
                var folder = System.IO.Path.GetDirectoryName(result.SavedMessagePath);
                if (status == SendStatus.DeliveryUnknown)
                {
                    DeliveryUnknownFolder = folder;
                }
                else
                {
                    FailedMessageFolder = folder;
                }
            }
            catch (OAuthSmtpException saveError)
            {
                result.Error = new OAuthSmtpException(
                    error?.ErrorId ?? saveError.ErrorId,
                    error?.Kind ?? saveError.Kind,
                    (error?.Message ?? string.Empty) + " " + saveError.Message,
                    error?.Fix ?? saveError.Fix,
                    message,
                    error);
            }
        }

        return result;
    }

    /// <summary>What one message's attempts have in common: the attempt under way, the last reply, the one reconnect after a lost authentication.</summary>
    private sealed class AttemptState
    {
        public int Number { get; set; }

        public string? LastReply { get; set; }

        public bool RenewedAfterAuthLoss { get; set; }
    }

    /// <summary>One attempt's failure, for the retry policy: how the message ends if it is the last, and whether another may follow.</summary>
    private sealed class AttemptFailed : Exception
    {
        public AttemptFailed(SendStatus status, OAuthSmtpException error, bool retryable)
            : base(error.Message, error)
        {
            Status = status;
            Error = error;
            Retryable = retryable;
        }

        public SendStatus Status { get; }

        public OAuthSmtpException Error { get; }

        public bool Retryable { get; }
    }
}
