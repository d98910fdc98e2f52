namespace OAuthSmtp.Relay.Spool;

/// <summary>A message in the spool: its envelope and the state (folder) it is in now.</summary>
internal sealed class SpoolEntry
{
    public SpoolEntry(SpoolEnvelope envelope, SpoolState state)
    {
        Envelope = envelope;
        State = state;
    }

    public SpoolEnvelope Envelope { get; }

    public string Id => Envelope.Id;

    public SpoolState State { get; set; }

    /// <summary>Offers to Exchange so far in this process (a restart begins again; nothing was accepted by then).</summary>
    public int Attempts { get; set; }

    /// <summary>Not offered again before this time (UTC).</summary>
    public System.DateTimeOffset NotBefore { get; set; }
}
