using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;

namespace OAuthSmtp.Relay.Spool;

/// <summary>
/// The durable store-and-forward spool: one file per message (&lt;id&gt;.msg: a JSON envelope line, then the message
/// bytes as received), one folder per <see cref="SpoolState"/>. A device gets its 250 only after the file is fsync'd
/// and renamed into queue/ and that folder is fsync'd. Every later change of state is one durable rename, so a kill -9
/// at any instant leaves each acknowledged message in exactly one folder; <see cref="Recover"/> makes the crash's
/// meaning explicit at start-up (incoming: never acknowledged, removed; submitting: delivery unknown, kept apart).
/// </summary>
internal sealed class MessageSpool
{
    public const string MessageExtension = ".msg";
    public const string OutcomeExtension = ".json";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private static readonly JsonSerializerOptions IndentedJson = new(Json) { WriteIndented = true };

    public MessageSpool(string root)
    {
        Root = Path.GetFullPath(root);
        foreach (SpoolState state in Enum.GetValues<SpoolState>())
        {
            Directory.CreateDirectory(FolderOf(state));
        }
    }

    public string Root { get; }

    public string FolderOf(SpoolState state) => Path.Combine(Root, state.ToString().ToLowerInvariant());

    public string PathOf(SpoolEntry entry) => PathOf(entry.Id, entry.State);

    public string PathOf(string id, SpoolState state) => Path.Combine(FolderOf(state), id + MessageExtension);

    public static string NewId() =>
        DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture) + "-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();

    /// <summary>
    /// Stores a message durably and queues it; returns only when it would survive a crash (the device's 250 may follow).
    /// <paramref name="content"/> is the message as received; <paramref name="prefix"/> (a rewritten header block) replaces its first <paramref name="skip"/> bytes.
    /// </summary>
    public SpoolEntry Accept(SpoolEnvelope envelope, ReadOnlySequence<byte> content, ReadOnlyMemory<byte> prefix = default, long skip = 0)
    {
        var incoming = PathOf(envelope.Id, SpoolState.Incoming);
        try
        {
            using (var stream = new FileStream(incoming, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.None))
            {
                stream.Write(JsonSerializer.SerializeToUtf8Bytes(envelope, Json));
                stream.WriteByte((byte)'\n');
                stream.Write(prefix.Span);
                foreach (var segment in content.Slice(skip))
                {
                    stream.Write(segment.Span);
                }

                // The data's end (CRLF before the dot) is part of the message; SmtpServer hands over the bytes before it.
                stream.Write("\r\n"u8);
                stream.Flush(flushToDisk: true);
            }

            DurableFileSystem.Move(incoming, PathOf(envelope.Id, SpoolState.Queued));
        }
        catch
        {
            TryDelete(incoming);
            throw;
        }

        return new SpoolEntry(envelope, SpoolState.Queued);
    }

    /// <summary>Moves a message to another state with one durable rename.</summary>
    public void Move(SpoolEntry entry, SpoolState to)
    {
        DurableFileSystem.Move(PathOf(entry), PathOf(entry.Id, to));
        entry.State = to;
    }

    /// <summary>Writes why a message did not go (beside it), then moves it to dead/ or unknown/.</summary>
    public void Finish(SpoolEntry entry, SpoolState to, SpoolOutcome outcome)
    {
        DurableFileSystem.WriteAllBytes(Path.Combine(FolderOf(to), entry.Id + OutcomeExtension), JsonSerializer.SerializeToUtf8Bytes(outcome, IndentedJson));
        Move(entry, to);
    }

    /// <summary>Opens the message bytes (after the envelope line).</summary>
    public Stream OpenContent(SpoolEntry entry)
    {
        var stream = new FileStream(PathOf(entry), FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        try
        {
            int value;
            while ((value = stream.ReadByte()) >= 0 && value != '\n')
            {
            }

            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// After a start (a crash or a clean stop before it): removes half-received messages (no device got a 250 for
    /// them), declares every message caught in submitting/ delivery unknown, and returns the queue in arrival order.
    /// </summary>
    public IReadOnlyList<SpoolEntry> Recover(Action<SpoolEntry, SpoolOutcome>? unknown)
    {
        foreach (var file in Directory.EnumerateFiles(FolderOf(SpoolState.Incoming)))
        {
            TryDelete(file);
        }

        foreach (var entry in List(SpoolState.Submitting))
        {
            var outcome = new SpoolOutcome
            {
                Id = entry.Id,
                Reason = "DeliveryUnknown",
                ErrorId = "DeliveryUnknown",
                Message = "The relay stopped while this message was being submitted to Exchange Online: its data may have reached Exchange, so it is not sent again (that could deliver it twice).",
                Fix = $"Check the message trace (Get-MessageTraceV2 -SenderAddress '{entry.Envelope.MailFrom}'){(entry.Envelope.MessageId is { Length: > 0 } id ? $" for message id <{id}>" : string.Empty)}; if it was not delivered, move {entry.Id}{MessageExtension} back into {FolderOf(SpoolState.Queued)}.",
                At = DateTimeOffset.UtcNow,
            };
            Finish(entry, SpoolState.Unknown, outcome);
            unknown?.Invoke(entry, outcome);
        }

        return List(SpoolState.Queued);
    }

    /// <summary>The messages in one state, oldest first (ids sort by arrival).</summary>
    public IReadOnlyList<SpoolEntry> List(SpoolState state)
    {
        var entries = new List<SpoolEntry>();
        foreach (var file in Directory.EnumerateFiles(FolderOf(state), "*" + MessageExtension).OrderBy(f => f, StringComparer.Ordinal))
        {
            var envelope = ReadEnvelope(file);
            if (envelope is not null)
            {
                entries.Add(new SpoolEntry(envelope, state));
            }
        }

        return entries;
    }

    public int Count(SpoolState state) => Directory.EnumerateFiles(FolderOf(state), "*" + MessageExtension).Count();

    /// <summary>Removes delivered messages older than the retention.</summary>
    public void PurgeDone(TimeSpan retention)
    {
        var cutoff = DateTime.UtcNow - retention;
        foreach (var file in Directory.EnumerateFiles(FolderOf(SpoolState.Done)))
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff)
            {
                TryDelete(file);
            }
        }
    }

    private static SpoolEnvelope? ReadEnvelope(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
            var line = new MemoryStream();
            int value;
            while ((value = stream.ReadByte()) >= 0 && value != '\n')
            {
                line.WriteByte((byte)value);
            }

            return JsonSerializer.Deserialize<SpoolEnvelope>(line.ToArray(), Json);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
