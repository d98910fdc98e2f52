using System;
using OAuthSmtp.Engine.Tokens;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Tokens;

public sealed class XOAuth2Tests
{
    [Fact]
    public void Encode_matches_the_documented_exchange_vector()
    {
        // EXCHANGE-FACTS section 4: the worked example of Microsoft's OAuth SMTP article.
        var encoded = XOAuth2.Encode("test@contoso.onmicrosoft.com", "EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAA");

        Assert.Equal(
            "dXNlcj10ZXN0QGNvbnRvc28ub25taWNyb3NvZnQuY29tAWF1dGg9QmVhcmVyIEV3QkFBbDNCQUFVRkZwVUFvN0ozVmUwYmpMQldaV0NjbFJDM0VvQUEBAQ==",
            encoded);
    }

    [Fact]
    public void Initial_response_separates_fields_with_control_a_and_ends_with_two()
    {
        var raw = XOAuth2.BuildInitialResponse("shared@contoso.com", "tok");

        Assert.Equal("user=shared@contoso.com\u0001auth=Bearer tok\u0001\u0001", raw);
    }

    [Theory]
    [InlineData("", "token")]
    [InlineData("user@contoso.com", "")]
    public void Empty_user_or_token_is_refused(string user, string token)
    {
        Assert.Throws<ArgumentException>(() => XOAuth2.Encode(user, token));
    }
}
