using System;
using System.IO;

namespace OAuthSmtp.Relay.Logging;

/// <summary>
/// The relay's logs under its log folder: outcomes.jsonl (per message: accepted, submitted with Exchange's reply,
/// failed with the reason; and every refusal of a device), inbound.jsonl (the devices' SMTP commands, AUTH redacted)
/// and outbound.log (the engine's redacted protocol log of the Exchange side).
/// </summary>
internal sealed class RelayLogs : IDisposable
{
    public RelayLogs(string folder)
    {
        Folder = folder;
        Directory.CreateDirectory(folder);
        Outcomes = new JsonLinesLog(Path.Combine(folder, "outcomes.jsonl"));
        Inbound = new JsonLinesLog(Path.Combine(folder, "inbound.jsonl"));
    }

    public string Folder { get; }

    public JsonLinesLog Outcomes { get; }

    public JsonLinesLog Inbound { get; }

    public string OutboundProtocolLogPath => Path.Combine(Folder, "outbound.log");

    public void Dispose()
    {
        Outcomes.Dispose();
        Inbound.Dispose();
    }
}
