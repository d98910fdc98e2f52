using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>Receiving the message: DATA (dot-stuffed) and BDAT chunks (RFC 3030).</summary>
internal sealed partial class SmtpSession
{
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

        BeginSubmission();
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
        return await EndOfMessageAsync(tooLarge ? null : message.ToArray(), viaBdat: false, cancellationToken).ConfigureAwait(false);
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

        if (_chunks is null)
        {
            BeginSubmission();
            _chunks = new MemoryStream();
        }

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
        return await EndOfMessageAsync(message, viaBdat: true, cancellationToken).ConfigureAwait(false);
    }
}
