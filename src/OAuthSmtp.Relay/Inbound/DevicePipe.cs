using System;
using System.IO;
using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using SmtpServer.IO;

namespace OAuthSmtp.Relay.Inbound;

/// <summary>
/// A device's connection as SmtpServer reads and writes it, upgraded in place by STARTTLS (SmtpServer's own pipe
/// type is internal; this is the same contract). Devices present no client certificate.
/// </summary>
internal sealed class DevicePipe : ISecurableDuplexPipe
{
    private readonly Action _disposed;
    private Stream _stream;
    private int _disposedOnce;

    public DevicePipe(Stream stream, Action disposed)
    {
        _stream = stream;
        _disposed = disposed;
        Input = PipeReader.Create(_stream);
        Output = PipeWriter.Create(_stream);
    }

    public PipeReader Input { get; private set; }

    public PipeWriter Output { get; private set; }

    public bool IsSecure => _stream is SslStream;

    public SslProtocols SslProtocol => (_stream as SslStream)?.SslProtocol ?? SslProtocols.None;

    public async Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: true);
        try
        {
            await ssl.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateRequired = false,
                    EnabledSslProtocols = protocols,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _stream = ssl;
        Input = PipeReader.Create(_stream);
        Output = PipeWriter.Create(_stream);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposedOnce, 1) == 0)
        {
            _stream.Dispose();
            _disposed();
        }
    }
}
