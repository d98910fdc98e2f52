using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Engine.Tests.Sending;

/// <summary>
/// A recorded Exchange Online SMTP dialogue (Resources/Smtp/*.txt, MailKit's replay style): "S:" lines are the
/// server's replies in order, "C:" lines document what the client sends. <see cref="OpenConnection"/> gives MailKit a
/// stream that answers each read with the next whole reply, so the real MailKit client, its typed exceptions and our
/// translation run without a network. A reconnect continues with the replies after the last one used.
/// </summary>
internal sealed class RecordedTranscript
{
    private readonly Queue<string> _replies;
    private readonly StringBuilder _clientBytes = new();

    private RecordedTranscript(string name, string expectedErrorId, IEnumerable<string> replies)
    {
        Name = name;
        ExpectedErrorId = expectedErrorId;
        _replies = new Queue<string>(replies);
    }

    public string Name { get; }

    /// <summary>The "# expect:" line: the error id the dialogue must end in, empty for a sent message.</summary>
    public string ExpectedErrorId { get; }

    /// <summary>The last reply handed out: the one the outcome is about (before RSET/QUIT replies).</summary>
    public List<string> RepliesGiven { get; } = new();

    public string ClientText
    {
        get
        {
            lock (_clientBytes)
            {
                return _clientBytes.ToString();
            }
        }
    }

    public int Connections { get; private set; }

    /// <summary>Count what the client sends instead of keeping it (a 100 MB message must not be held by the test).</summary>
    public bool KeepClientText { get; set; } = true;

    /// <summary>Bytes the client sent, kept or not.</summary>
    public long ClientByteCount { get; private set; }

    public static string Folder([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(source)!)!, "Resources", "Smtp");

    public static IEnumerable<string> Names() =>
        Directory.GetFiles(Folder(), "*.txt").Select(Path.GetFileNameWithoutExtension).OrderBy(n => n, StringComparer.Ordinal)!;

    public static RecordedTranscript Load(string name) =>
        FromLines(name, File.ReadAllLines(Path.Combine(Folder(), name + ".txt")));

    /// <summary>A dialogue built in the test (for replies that must quote values only the test knows, such as a token).</summary>
    public static RecordedTranscript FromLines(string name, IReadOnlyList<string> lines)
    {
        var expect = lines.FirstOrDefault(l => l.StartsWith("# expect:", StringComparison.Ordinal))?.Substring("# expect:".Length).Trim() ?? string.Empty;
        var replies = new List<string>();
        var current = new StringBuilder();
        foreach (var line in lines.Where(l => l.StartsWith("S: ", StringComparison.Ordinal)).Select(l => l.Substring(3)))
        {
            current.Append(line).Append("\r\n");
            if (line.Length < 4 || line[3] != '-')
            {
                replies.Add(current.ToString());
                current.Clear();
            }
        }

        return new RecordedTranscript(name, expect, replies);
    }

    public Task<Stream> OpenConnection(CancellationToken cancellationToken)
    {
        Connections++;
        return Task.FromResult<Stream>(new ReplayStream(this));
    }

    private string? NextReply()
    {
        lock (_replies)
        {
            if (_replies.Count == 0)
            {
                return null;
            }

            var reply = _replies.Dequeue();
            RepliesGiven.Add(reply.TrimEnd());
            return reply;
        }
    }

    private sealed class ReplayStream : Stream
    {
        private readonly RecordedTranscript _transcript;
        private byte[] _pending = Array.Empty<byte>();
        private int _offset;

        public ReplayStream(RecordedTranscript transcript) => _transcript = transcript;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_offset >= _pending.Length)
            {
                var reply = _transcript.NextReply();
                if (reply is null)
                {
                    return 0;
                }

                _pending = Encoding.UTF8.GetBytes(reply);
                _offset = 0;
            }

            var n = Math.Min(count, _pending.Length - _offset);
            Array.Copy(_pending, _offset, buffer, offset, n);
            _offset += n;
            return n;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (_transcript._clientBytes)
            {
                _transcript.ClientByteCount += count;
                if (_transcript.KeepClientText)
                {
                    _transcript._clientBytes.Append(Encoding.UTF8.GetString(buffer, offset, count));
                }
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
