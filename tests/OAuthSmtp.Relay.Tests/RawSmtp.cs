using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;

namespace OAuthSmtp.Relay.Tests;

/// <summary>
/// A bare SMTP dialogue for the refusal tests: each command and the exact reply, from a chosen source address.
/// </summary>
public sealed class RawSmtp : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly StreamReader _reader;
    private readonly Stream _stream;

    private RawSmtp(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = new StreamReader(_stream, Encoding.Latin1);
    }

    public string Banner { get; private set; } = "";

    public static async Task<RawSmtp> ConnectAsync(IPEndPoint server, IPAddress? from = null)
    {
        var client = from is null ? new TcpClient(server.AddressFamily) : new TcpClient(new IPEndPoint(from, 0));
        client.ReceiveTimeout = 30_000;
        await client.ConnectAsync(server);
        var smtp = new RawSmtp(client);
        smtp.Banner = await smtp.ReadReplyAsync();
        return smtp;
    }

    /// <summary>Sends one line and returns the whole reply (the last line of a multi-line reply, code first), or "closed".</summary>
    public async Task<string> SendAsync(string line)
    {
        await _stream.WriteAsync(Encoding.Latin1.GetBytes(line + "\r\n"));
        return await ReadReplyAsync();
    }

    /// <summary>DATA, the content (dot-stuffed here), the final dot: the reply to the end of the data.</summary>
    public async Task<string> DataAsync(string content)
    {
        var reply = await SendAsync("DATA");
        if (!reply.StartsWith("354", StringComparison.Ordinal))
        {
            return reply;
        }

        var stuffed = content.Replace("\r\n.", "\r\n..", StringComparison.Ordinal);
        await _stream.WriteAsync(Encoding.Latin1.GetBytes(stuffed + "\r\n.\r\n"));
        return await ReadReplyAsync();
    }

    public static string Plain(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + user + "\0" + password));

    public async Task<string> ReadReplyAsync()
    {
        try
        {
            while (true)
            {
                var line = await _reader.ReadLineAsync();
                if (line is null)
                {
                    return "closed";
                }

                if (line.Length < 4 || line[3] != '-')
                {
                    return line;
                }
            }
        }
        catch (IOException)
        {
            return "closed";
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
