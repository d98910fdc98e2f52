using System;
using System.IO;
using MailKit;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// One redacted protocol log for a whole pipeline, across reconnects: MailKit disposes its logger with the client,
/// so each client gets this wrapper and the file stays open until the sender closes.
/// </summary>
internal sealed class SharedProtocolLogger : IProtocolLogger
{
    private readonly ProtocolLogger _inner;

    private SharedProtocolLogger(ProtocolLogger inner) => _inner = inner;

    /// <summary>Opens (appends to) the log. RedactSecrets masks the AUTH payload: no token reaches the file.</summary>
    public static SharedProtocolLogger Open(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // Readable by its owner only on Unix: the dialogue names mailboxes and recipients (and, with
        // -ProtocolLogContent, holds whole messages). Created empty with that mode before anything is written.
        if (Secrets.UnixPermissions.Applies)
        {
            using (new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
            {
            }

            Secrets.UnixPermissions.Set(path, Secrets.UnixPermissions.OwnerReadWrite);
        }

        return new SharedProtocolLogger(new ProtocolLogger(path, append: true) { RedactSecrets = true });
    }

    public IAuthenticationSecretDetector? AuthenticationSecretDetector
    {
        get => _inner.AuthenticationSecretDetector;
        set => _inner.AuthenticationSecretDetector = value;
    }

    public void LogConnect(Uri uri) => _inner.LogConnect(uri);

    public void LogClient(byte[] buffer, int offset, int count) => _inner.LogClient(buffer, offset, count);

    public void LogServer(byte[] buffer, int offset, int count) => _inner.LogServer(buffer, offset, count);

    /// <summary>Called by each client as it is disposed: the shared file stays open.</summary>
    public void Dispose()
    {
    }

    public void Close() => _inner.Dispose();
}
