using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>Reading client lines and queueing, flushing and formatting replies (banner, host tag).</summary>
internal sealed partial class SmtpSession
{
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

    /// <summary>Waits here while the test holds replies at this stage (EmulatorFaults.HoldReplies).</summary>
    private async Task HoldIfAskedAsync(SmtpStage stage, CancellationToken cancellationToken)
    {
        if (Faults.TryTakeReplyHold(stage) is not { } hold) return;
        Note($"fault: reply held at {stage} until the test releases it");
        await hold.WaitAsync(cancellationToken).ConfigureAwait(false);
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
}
