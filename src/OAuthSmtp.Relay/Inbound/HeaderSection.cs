using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using MimeKit;

namespace OAuthSmtp.Relay.Inbound;

/// <summary>
/// The header block of a message as received (up to the first empty line), read without touching the body: the
/// header From addresses, Message-ID and Subject for the checks and the logs, and the one change the relay may make,
/// the From rewrite for devices that cannot set a sender. Everything else passes through byte for byte.
/// </summary>
internal sealed class HeaderSection
{
    private const int MaxHeaderBytes = 1024 * 1024;

    private readonly List<string> _fields;

    private HeaderSection(List<string> fields, long length)
    {
        _fields = fields;
        Length = length;
    }

    /// <summary>Bytes of the header block in the message, the empty line included (0 when the message has none).</summary>
    public long Length { get; }

    public static HeaderSection Read(ReadOnlySequence<byte> message)
    {
        var reader = new SequenceReader<byte>(message.Length > MaxHeaderBytes ? message.Slice(0, MaxHeaderBytes) : message);
        var fields = new List<string>();
        var current = new StringBuilder();
        long length = 0;
        while (reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
        {
            var text = Encoding.Latin1.GetString(line).TrimEnd('\r');
            length = reader.Consumed;
            if (text.Length == 0)
            {
                Flush();
                return new HeaderSection(fields, length);
            }

            if ((text[0] == ' ' || text[0] == '\t') && current.Length > 0)
            {
                current.Append("\r\n").Append(text);
            }
            else
            {
                Flush();
                current.Append(text);
            }
        }

        // No empty line: the whole message is headers (or nothing parseable); nothing is rewritten then.
        Flush();
        return new HeaderSection(fields, 0);

        void Flush()
        {
            if (current.Length > 0)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
        }
    }

    public string? Value(string name)
    {
        var field = _fields.FirstOrDefault(f => NameOf(f).Equals(name, StringComparison.OrdinalIgnoreCase));
        if (field is null)
        {
            return null;
        }

        var colon = field.IndexOf(':', StringComparison.Ordinal);
        return field[(colon + 1)..].Replace("\r\n", string.Empty, StringComparison.Ordinal).Trim();
    }

    /// <summary>The addresses of the From header (none when it is missing or unreadable).</summary>
    public IReadOnlyList<string> FromAddresses()
    {
        var value = Value("From");
        if (value is null || !InternetAddressList.TryParse(value, out var list))
        {
            return Array.Empty<string>();
        }

        return list.Mailboxes.Select(m => m.Address).ToList();
    }

    public string? MessageId => Value("Message-ID")?.Trim('<', '>', ' ');

    public string? Subject => Value("Subject");

    /// <summary>The header block with every From field replaced by one naming <paramref name="address"/> (added when missing).</summary>
    public byte[] WithFrom(string address)
    {
        var builder = new StringBuilder();
        var written = false;
        foreach (var field in _fields)
        {
            if (NameOf(field).Equals("From", StringComparison.OrdinalIgnoreCase))
            {
                if (!written)
                {
                    builder.Append("From: ").Append(address).Append("\r\n");
                    written = true;
                }

                continue;
            }

            builder.Append(field).Append("\r\n");
        }

        if (!written)
        {
            builder.Insert(0, "From: " + address + "\r\n");
        }

        builder.Append("\r\n");
        return Encoding.Latin1.GetBytes(builder.ToString());
    }

    private static string NameOf(string field)
    {
        var colon = field.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? string.Empty : field[..colon].Trim();
    }
}
