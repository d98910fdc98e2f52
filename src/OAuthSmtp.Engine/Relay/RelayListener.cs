using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// One address and port the relay listens on. Loopback needs no allow-list (only this machine reaches it); any other
/// address must list the source ranges (CIDR) that may connect, so the relay is never open to a whole network by default.
/// </summary>
public sealed class RelayListener
{
    /// <summary>An IP address: 127.0.0.1, ::1, a LAN address of this machine, or 0.0.0.0 / :: for all of them.</summary>
    public string? Address { get; set; }

    public int Port { get; set; } = RelayConfiguration.DefaultPort;

    /// <summary>CIDR ranges that may connect; required unless <see cref="Address"/> is loopback.</summary>
    public List<string> AllowedSources { get; set; } = new();

    /// <summary>"127.0.0.1:587", "[::1]:587".</summary>
    public string Endpoint => (IPAddress.TryParse(Address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + Address + "]" : Address) + ":" + Port;

    /// <summary>Whether a connection from <paramref name="source"/> may talk to this listener.</summary>
    public bool Admits(IPAddress source)
    {
        var ranges = AllowedSources.Select(AddressRange.Parse).ToList();
        if (ranges.Count == 0)
        {
            return IPAddress.TryParse(Address, out var ip) && IPAddress.IsLoopback(ip) && IPAddress.IsLoopback(source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source);
        }

        return ranges.Any(r => r.Contains(source));
    }
}
