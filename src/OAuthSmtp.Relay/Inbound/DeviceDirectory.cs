using System.Collections.Generic;
using System.Net;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.Relay.Configuration;

namespace OAuthSmtp.Relay.Inbound;

/// <summary>
/// The current configuration's devices and address rules, swapped as a whole when relay.json changes, so a session
/// always sees one consistent snapshot. The rules themselves are the engine's (RelayListener.Admits,
/// RelayClient.AllowsSource/AllowsSender/AllowsRecipient, RelayConfiguration.AllowsCleartextAuth), the same the
/// management cmdlets describe.
/// </summary>
internal sealed class DeviceDirectory
{
    private RelaySettings _settings;

    public DeviceDirectory(RelaySettings settings) => _settings = settings;

    public RelaySettings Settings => _settings;

    public IReadOnlyList<RelayClient> Devices => _settings.Devices;

    public void Replace(RelaySettings settings) => _settings = settings;

    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>May this address talk to the listener on <paramref name="endpoint"/> (its allow-list; loopback listeners admit loopback)?</summary>
    public bool Admits(IPEndPoint endpoint, IPAddress source)
    {
        source = Normalize(source);
        foreach (var (listening, listener) in _settings.Listeners)
        {
            if (listening.Port == endpoint.Port && listening.Address.Equals(endpoint.Address))
            {
                return listener.Admits(source);
            }
        }

        // A listener removed from relay.json keeps running until the restart, under the loopback rule only.
        return IPAddress.IsLoopback(source) && IPAddress.IsLoopback(endpoint.Address);
    }

    /// <summary>AUTH PLAIN/LOGIN without TLS only from the ranges the admin allowed (loopback by default).</summary>
    public bool IsCleartextAuthAllowed(IPAddress address) => _settings.Configuration.AllowsCleartextAuth(Normalize(address));

    public RelayClient? ByUserName(string? userName) => _settings.Configuration.FindByUserName(userName);

    /// <summary>The device that sends without AUTH from this address, if one is configured.</summary>
    public RelayClient? UnauthenticatedDeviceFor(IPAddress address) => _settings.Configuration.FindUnauthenticated(Normalize(address));
}
