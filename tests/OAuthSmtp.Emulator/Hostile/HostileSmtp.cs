using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Emulator.Smtp;

namespace OAuthSmtp.Emulator.Hostile;

/// <summary>The hostile SMTP behaviours of <see cref="EmulatorFaults"/>: silence, an oversized line, garbage instead of TLS.</summary>
internal static class HostileSmtp
{
    /// <summary>Reads and ignores whatever the client sends until it leaves or goes quiet for the idle timeout.</summary>
    public static async Task SilenceAsync(SmtpInputReader reader, Action<string> note, CancellationToken cancellationToken)
    {
        note("fault: never replying");
        try
        {
            while (await reader.ReadLineAsync(64 * 1024, cancellationToken).ConfigureAwait(false) is not null)
            {
            }
        }
        catch (TimeoutException)
        {
        }

        note("client left while waiting for a reply");
    }

    /// <summary>"250-" and then <paramref name="bytes"/> bytes without a line end, as fast as the client reads.</summary>
    public static async Task OversizedLineAsync(Stream stream, int bytes, TimeSpan idleTimeout, Action<string> note, CancellationToken cancellationToken)
    {
        note($"fault: a reply line of {bytes} bytes");
        var filler = Encoding.ASCII.GetBytes(new string('x', 16 * 1024));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(idleTimeout);
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("250-"), timeout.Token).ConfigureAwait(false);
            for (var written = 0; written < bytes; written += filler.Length)
            {
                await stream.WriteAsync(filler.AsMemory(0, Math.Min(filler.Length, bytes - written)), timeout.Token).ConfigureAwait(false);
            }

            await stream.FlushAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            note("client stopped reading the oversized line");
        }
    }

    /// <summary>After "220 2.0.0 SMTP server ready": random bytes where the TLS ServerHello belongs, then silence.</summary>
    public static async Task GarbageInsteadOfTlsAsync(Stream stream, SmtpInputReader reader, TimeSpan idleTimeout, Action<string> note, CancellationToken cancellationToken)
    {
        note("fault: garbage instead of a TLS handshake");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(idleTimeout);
            var garbage = RandomNumberGenerator.GetBytes(4096);
            garbage[0] = (byte)'2'; // not a TLS record type: the client's handshake must fail, not wait
            await stream.WriteAsync(garbage, timeout.Token).ConfigureAwait(false);
            await stream.FlushAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            return;
        }

        await SilenceAsync(reader, note, cancellationToken).ConfigureAwait(false);
    }
}
