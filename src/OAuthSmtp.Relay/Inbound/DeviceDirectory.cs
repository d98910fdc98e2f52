using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using OAuthSmtp.Relay.Configuration;

namespace OAuthSmtp.Relay.Inbound;

/// <summary>
/// The current device list and source rules, swapped as a whole when the configuration file changes, so a session
/// always sees one consistent snapshot. Loopback is always a permitted source; anything else only when the admin
/// listed it (relay-wide, or as a device's source).
/// </summary>
internal sealed class DeviceDirectory
{
    private RelaySettings _settings;

    public DeviceDirectory(RelaySettings settings) => _settings = settings;

    public RelaySettings Settings => _settings;

    public void Replace(RelaySettings settings) => _settings = settings;

    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>May this address open a connection at all?</summary>
    public bool IsSourceAllowed(IPAddress address)
    {
        address = Normalize(address);
        var settings = _settings;
        return IPAddress.IsLoopback(address)
            || settings.AllowedSources.Any(n => n.Contains(address))
            || settings.Devices.Any(d => d.Sources.Any(n => n.Contains(address)));
    }

    /// <summary>Whether a device may connect from this address (a device with no sources: loopback only).</summary>
    public static bool DeviceAllows(RelayDevice device, IPAddress address)
    {
        address = Normalize(address);
        return device.Sources.Count == 0 ? IPAddress.IsLoopback(address) : device.Sources.Any(n => n.Contains(address));
    }

    /// <summary>AUTH PLAIN/LOGIN without TLS is allowed from loopback and from the ranges the admin named.</summary>
    public bool IsCleartextAuthAllowed(IPAddress address)
    {
        address = Normalize(address);
        return IPAddress.IsLoopback(address) || _settings.CleartextAuthSources.Any(n => n.Contains(address));
    }

    public RelayDevice? ByUserName(string userName) =>
        _settings.Devices.FirstOrDefault(d => d.UserName is not null && string.Equals(d.UserName, userName, StringComparison.OrdinalIgnoreCase));

    /// <summary>The device that sends without AUTH from this address, if one is configured.</summary>
    public RelayDevice? UnauthenticatedDeviceFor(IPAddress address) =>
        _settings.Devices.FirstOrDefault(d => !d.RequiresAuthentication && DeviceAllows(d, address));

    public IReadOnlyList<RelayDevice> Devices => _settings.Devices;
}
