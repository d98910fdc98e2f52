using System.Net;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Relay;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Relay;

public sealed class AddressRangeTests
{
    [Theory]
    [InlineData("192.168.10.0/24", "192.168.10.0/24")]
    [InlineData(" 192.168.10.25 ", "192.168.10.25/32")]
    [InlineData("fd00:10::/64", "fd00:10::/64")]
    [InlineData("::1", "::1/128")]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void Parses_to_the_canonical_form(string text, string expected) =>
        Assert.Equal(expected, AddressRange.Parse(text).ToString());

    [Theory]
    [InlineData("", "empty")]
    [InlineData("192.168.10.7/24", "host bits set; the /24 network is 192.168.10.0/24")]
    [InlineData("10.1", "not an IPv4 or IPv6 address")]
    [InlineData("printer.local", "not an IPv4 or IPv6 address")]
    [InlineData("10.0.0.0/33", "prefix length '/33'")]
    [InlineData("10.0.0.0/", "prefix length '/'")]
    [InlineData("10.0.0.0/-1", "prefix length '/-1'")]
    [InlineData("fe80::1%eth0", "not an IPv4 or IPv6 address")]
    public void Refuses_what_an_admin_did_not_mean(string text, string problem)
    {
        var error = Assert.Throws<OAuthSmtpException>(() => AddressRange.Parse(text));
        Assert.Equal(ErrorIds.InvalidRelayAddressRange, error.ErrorId);
        Assert.Contains(problem, error.Message);
        Assert.Contains("CIDR", error.Fix);
    }

    [Fact]
    public void Contains_checks_the_prefix_and_maps_IPv4_in_IPv6()
    {
        var range = AddressRange.Parse("192.168.10.0/23");
        Assert.True(range.Contains(IPAddress.Parse("192.168.11.200")));
        Assert.False(range.Contains(IPAddress.Parse("192.168.12.1")));
        Assert.True(range.Contains(IPAddress.Parse("::ffff:192.168.10.9")));
        Assert.False(range.Contains(IPAddress.Parse("fd00::1")));
        Assert.True(AddressRange.Parse("fd00:10::/64").Contains(IPAddress.Parse("fd00:10::abcd")));
        Assert.False(AddressRange.Parse("fd00:10::/64").Contains(IPAddress.Parse("fd00:11::1")));
    }

    [Fact]
    public void Loopback_and_everything_are_recognised()
    {
        Assert.True(AddressRange.Parse("127.0.0.1").IsLoopback);
        Assert.True(AddressRange.Parse("::1").IsLoopback);
        Assert.False(AddressRange.Parse("10.0.0.0/8").IsLoopback);
        Assert.True(AddressRange.Parse("::/0").IsEverything);
    }
}
