using System;
using MailKit;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// MailKit's logger on a connection whose greeting the engine already read and logged before STARTTLS: MailKit's
/// "connected" line and its reading of the replayed greeting are left out, so the log shows the dialogue once, in order.
/// </summary>
internal sealed class ReplayAwareProtocolLogger : IProtocolLogger
{
    private readonly IProtocolLogger _inner;
    private bool _skipConnect;
    private int _serverBytesToSkip;

    public ReplayAwareProtocolLogger(IProtocolLogger inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    public IAuthenticationSecretDetector? AuthenticationSecretDetector
    {
        get => _inner.AuthenticationSecretDetector;
        set => _inner.AuthenticationSecretDetector = value;
    }

    /// <summary>The next connect line and this many server bytes are a replay: do not log them again.</summary>
    public void SkipReplay(int greetingLength)
    {
        _skipConnect = true;
        _serverBytesToSkip = greetingLength;
    }

    public void LogConnect(Uri uri)
    {
        if (_skipConnect)
        {
            _skipConnect = false;
            return;
        }

        _inner.LogConnect(uri);
    }

    public void LogClient(byte[] buffer, int offset, int count) => _inner.LogClient(buffer, offset, count);

    public void LogServer(byte[] buffer, int offset, int count)
    {
        var skip = Math.Min(_serverBytesToSkip, count);
        _serverBytesToSkip -= skip;
        if (count > skip)
        {
            _inner.LogServer(buffer, offset + skip, count - skip);
        }
    }

    /// <summary>The inner logger outlives each client (see <see cref="SharedProtocolLogger"/>).</summary>
    public void Dispose()
    {
    }
}
