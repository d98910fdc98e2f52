using System;
using System.IO;
using System.Text.Json;

namespace OAuthSmtp.Relay.Logging;

/// <summary>
/// An append-only file of JSON lines, one object per line, written whole and flushed per line so a crash loses at
/// most the line being written. Shared by the relay's threads; other processes may read it while it grows.
/// </summary>
internal sealed class JsonLinesLog : IDisposable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly object _gate = new();
    private readonly FileStream _stream;

    public JsonLinesLog(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
    }

    public string Path { get; }

    public void Write<T>(T entry)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(entry, Json);
        lock (_gate)
        {
            _stream.Write(bytes);
            _stream.WriteByte((byte)'\n');
            _stream.Flush();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stream.Dispose();
        }
    }
}
