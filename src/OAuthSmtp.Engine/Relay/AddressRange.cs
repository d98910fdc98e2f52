using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// An IPv4 or IPv6 address range in CIDR notation ("192.168.10.0/24", "fd00::/64"); a single address is a range of one
/// ("192.168.10.25" is "192.168.10.25/32"). Host bits must be zero, as Python's ipaddress requires by default, so
/// "192.168.10.7/24" is refused instead of silently meaning the whole /24. netstandard2.0 has no IPNetwork.
/// </summary>
public sealed class AddressRange : IEquatable<AddressRange>
{
    private readonly byte[] _network;

    private AddressRange(IPAddress network, int prefixLength)
    {
        Network = network;
        PrefixLength = prefixLength;
        _network = network.GetAddressBytes();
    }

    /// <summary>127.0.0.0/8: IPv4 loopback.</summary>
    public static AddressRange IPv4Loopback { get; } = Parse("127.0.0.0/8");

    /// <summary>::1/128: IPv6 loopback.</summary>
    public static AddressRange IPv6Loopback { get; } = Parse("::1/128");

    public IPAddress Network { get; }

    public int PrefixLength { get; }

    public AddressFamily AddressFamily => Network.AddressFamily;

    /// <summary>Whether the range admits every address of its family (0.0.0.0/0, ::/0).</summary>
    public bool IsEverything => PrefixLength == 0;

    /// <summary>Whether every address in the range is a loopback address.</summary>
    public bool IsLoopback => IPv4Loopback.Contains(this) || IPv6Loopback.Contains(this);

    /// <exception cref="OAuthSmtpException">InvalidRelayAddressRange, naming the text and what is wrong with it.</exception>
    public static AddressRange Parse(string? text)
    {
        var range = TryParse(text, out var problem);
        if (range is null)
        {
            throw new OAuthSmtpException(
                ErrorIds.InvalidRelayAddressRange,
                ErrorKind.InvalidArgument,
                $"'{text}' is not an address range: {problem}.",
                "Give an IPv4 or IPv6 address or a range in CIDR notation, for example 192.168.10.25, 192.168.10.0/24 or fd00:10::/64.",
                text);
        }

        return range;
    }

    /// <summary>The range, or null with <paramref name="problem"/> saying why not.</summary>
    public static AddressRange? TryParse(string? text, out string problem)
    {
        problem = string.Empty;
        var trimmed = (text ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            problem = "it is empty";
            return null;
        }

        var slash = trimmed.IndexOf('/');
        var addressText = slash < 0 ? trimmed : trimmed.Substring(0, slash);

        // IPAddress.TryParse accepts "10" as 0.0.0.10 and "10.1" as 10.0.0.1; an admin who wrote that meant something else.
        if (!IPAddress.TryParse(addressText, out var address)
            || (address.AddressFamily == AddressFamily.InterNetwork && addressText.Split('.').Length != 4)
            || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            || addressText.IndexOf('%') >= 0)
        {
            problem = $"'{addressText}' is not an IPv4 or IPv6 address";
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var maximum = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefixLength = maximum;
        if (slash >= 0)
        {
            var prefixText = trimmed.Substring(slash + 1);
            if (prefixText.Length == 0 || prefixText.Length > 3 || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefixLength) || prefixLength > maximum)
            {
                problem = $"the prefix length '/{prefixText}' is not a number from 0 to {maximum}";
                return null;
            }
        }

        var bytes = address.GetAddressBytes();
        var masked = Mask(bytes, prefixLength);
        if (!Same(bytes, masked))
        {
            problem = $"it has host bits set; the /{prefixLength} network is {new IPAddress(masked)}/{prefixLength}";
            return null;
        }

        return new AddressRange(new IPAddress(masked), prefixLength);
    }

    /// <summary>Whether the address lies in the range (an IPv4-mapped IPv6 address counts as its IPv4 address).</summary>
    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily)
        {
            return false;
        }

        return Same(Mask(address.GetAddressBytes(), PrefixLength), _network);
    }

    /// <summary>Whether <paramref name="other"/> lies wholly inside this range.</summary>
    public bool Contains(AddressRange other) =>
        other is not null && other.AddressFamily == AddressFamily && other.PrefixLength >= PrefixLength && Contains(other.Network);

    public override string ToString() => Network + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);

    public bool Equals(AddressRange? other) => other is not null && other.PrefixLength == PrefixLength && Same(other._network, _network);

    public override bool Equals(object? obj) => Equals(obj as AddressRange);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    private static byte[] Mask(byte[] bytes, int prefixLength)
    {
        var result = new byte[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Max(0, Math.Min(8, prefixLength - (i * 8)));
            result[i] = (byte)(bytes[i] & (byte)(0xFF << (8 - bits)));
        }

        return result;
    }

    private static bool Same(byte[] a, byte[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }
}
