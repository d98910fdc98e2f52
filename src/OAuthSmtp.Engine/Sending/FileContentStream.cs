using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// An attachment's content that opens its file only when MimeKit reads it and closes it again with <see cref="Release"/>,
/// so building, measuring and sending a message never hold a large file in memory, and a pipeline of many messages
/// does not keep every attachment open.
/// </summary>
internal sealed class FileContentStream : Stream
{
    private readonly string _path;
    private FileStream? _file;
    private long _position;

    public FileContentStream(string path)
    {
        _path = path;
        Length = new FileInfo(path).Length;
    }

    public string Path => _path;

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
        var file = Open();
        if (file.Position != _position)
        {
            file.Position = _position;
        }

        var read = file.Read(buffer, offset, count);
        _position += read;
        return read;
    }

    // MimeKit reads attachments asynchronously; without this override Stream's default ReadAsync queues every 4 KB
    // read as a task of its own behind a semaphore, which made a 30 MB attachment allocate megabytes of garbage.
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<int>(cancellationToken);
        }

        var file = Open();
        if (file.Position != _position)
        {
            file.Position = _position;
        }

        var pending = file.ReadAsync(buffer, offset, count, cancellationToken);
        if (pending.Status == TaskStatus.RanToCompletion)
        {
            _position += pending.Result;
            return pending;
        }

        return AdvanceWhenReadAsync(pending);
    }

    private async Task<int> AdvanceWhenReadAsync(Task<int> pending)
    {
        var read = await pending.ConfigureAwait(false);
        _position += read;
        return read;
    }

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

    private FileStream Open() =>
        _file ??= new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);
}
