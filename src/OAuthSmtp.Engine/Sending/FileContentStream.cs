using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// A file's content (an attachment, or a whole .eml file of -MessagePath) that opens the file only when MimeKit reads
/// it and closes it again with <see cref="Release"/>, so building, measuring and sending a message never hold a large
/// file in memory, and a pipeline of many messages does not keep every file open. A file that becomes unreadable after
/// validation (deleted, permission removed, shortened, replaced by a FIFO) raises AttachmentUnreadable (or
/// MessageFileUnreadable), never an IOException that would look like a lost connection; reads are cut at the length
/// validated (a growing log file sends the part that existed) and each read that does not complete at once is
/// bounded by <see cref="TimeoutMs"/>.
/// </summary>
internal sealed class FileContentStream : Stream
{
    private readonly string _path;
    private readonly Func<string, string, Exception?, OAuthSmtpException> _unreadable;
    private FileStream? _file;
    private long _position;

    /// <summary>An attachment's content.</summary>
    public FileContentStream(string path)
        : this(path, AttachmentUnreadable)
    {
    }

    private FileContentStream(string path, Func<string, string, Exception?, OAuthSmtpException> unreadable)
    {
        _path = path;
        _unreadable = unreadable;
        Length = new FileInfo(path).Length;
    }

    /// <summary>
    /// A whole message file, for MimeKit's persistent parsing: the parsed parts keep ranges of this stream instead of
    /// copies of their content, so the file is read again (and only then open) when the message is measured, sent or saved.
    /// </summary>
    public static FileContentStream ForMessageFile(string path) => new(path, MessageFileUnreadable);

    public string Path => _path;

    /// <summary>How long one read may take (-TimeoutSec); 0 waits as long as the read takes.</summary>
    public int TimeoutMs { get; set; }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        count = Remaining(count);
        if (count == 0)
        {
            return 0;
        }

        try
        {
            var file = Open();
            if (file.Position != _position)
            {
                file.Position = _position;
            }

            return Advance(file.Read(buffer, offset, count));
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            throw Unreadable(ex.Message, ex);
        }
    }

    // MimeKit reads attachments asynchronously; without this override Stream's default ReadAsync queues every 4 KB
    // read as a task of its own behind a semaphore, which made a 30 MB attachment allocate megabytes of garbage.
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<int>(cancellationToken);
        }

        count = Remaining(count);
        if (count == 0)
        {
            return Task.FromResult(0);
        }

        Task<int> pending;
        try
        {
            var file = Open();
            if (file.Position != _position)
            {
                file.Position = _position;
            }

            pending = file.ReadAsync(buffer, offset, count, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            return Task.FromException<int>(Unreadable(ex.Message, ex));
        }

        if (pending.Status == TaskStatus.RanToCompletion)
        {
            return Task.FromResult(Advance(pending.Result));
        }

        return AdvanceWhenReadAsync(pending, cancellationToken);
    }

    private async Task<int> AdvanceWhenReadAsync(Task<int> pending, CancellationToken cancellationToken)
    {
        if (TimeoutMs > 0 || cancellationToken.CanBeCanceled)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var waited = await Task.WhenAny(pending, Task.Delay(TimeoutMs > 0 ? TimeoutMs : Timeout.Infinite, stop.Token)).ConfigureAwait(false);
            stop.Cancel();
            if (waited != pending)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Release();
                throw Unreadable($"reading it took longer than {TimeoutMs / 1000.0:0.#} s (-TimeoutSec)", null);
            }
        }

        try
        {
            return Advance(await pending.ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            throw Unreadable(ex.Message, ex);
        }
    }

    /// <summary>Bytes that may still be read: never past the length validated.</summary>
    private int Remaining(int count) => (int)Math.Max(0, Math.Min(count, Length - _position));

    private int Advance(int read)
    {
        if (read == 0 && _position < Length)
        {
            throw Unreadable($"it is shorter than when it was checked ({_position:N0} of {Length:N0} bytes)", null);
        }

        _position += read;
        return read;
    }

    private OAuthSmtpException Unreadable(string reason, Exception? inner) => _unreadable(_path, reason, inner);

    private static OAuthSmtpException AttachmentUnreadable(string path, string reason, Exception? inner) =>
        new(
            ErrorIds.AttachmentUnreadable,
            ErrorKind.ReadError,
            $"The attachment '{path}' could not be read while sending: {reason}. The message was not sent.",
            "Keep attachments in place and readable until the send is done (a file deleted, moved or locked during the send cannot be attached), then send the message again with -Message or -MessagePath.",
            path,
            inner);

    private static OAuthSmtpException MessageFileUnreadable(string path, string reason, Exception? inner) =>
        new(
            ErrorIds.MessageFileUnreadable,
            ErrorKind.ReadError,
            $"The message file '{path}' could not be read while sending: {reason}. The message was not sent.",
            $"Keep the .eml file in place and unchanged until the send is done (it is read from disk as it is sent, not held in memory), then send it again with -MessagePath '{path}'.",
            path,
            inner);

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        if (target < 0)
        {
            throw new IOException("Cannot seek before the start of the attachment.");
        }

        _position = target;
        return _position;
    }

    /// <summary>Closes the file; the next read opens it again.</summary>
    public void Release()
    {
        _file?.Dispose();
        _file = null;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Release();
        }

        base.Dispose(disposing);
    }

    private FileStream Open()
    {
        if (_file is null)
        {
            if (!File.Exists(_path))
            {
                throw Unreadable("it no longer exists", null);
            }

            // Checked again at every open: a file replaced by a FIFO after validation would block the open forever.
            if (RegularFile.Problem(_path) is { } problem)
            {
                throw Unreadable($"it is now {problem}, not a regular file", null);
            }

            _file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);
        }

        return _file;
    }
}
