using System.Linq;
using System.Net.Security;
using System.Reflection;
using OAuthSmtp.Engine.Sending;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Sending;

/// <summary>
/// Issue 13 item 15: the shipped engine has no way, public or internal, to swap out server certificate validation;
/// tests trust the emulator's root through their own per-run HOME and go through the product's validation.
/// </summary>
public sealed class ShippedCertificateValidationTests
{
    [Fact]
    public void The_engine_has_no_member_that_replaces_server_certificate_validation()
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var hooks = typeof(SmtpSenderOptions).Assembly.GetTypes()
            .SelectMany(type => type.GetProperties(All).Select(p => (type, p.Name, p.PropertyType))
                .Concat(type.GetFields(All).Select(f => (type, f.Name, f.FieldType))))
            .Where(member => member.Item3 == typeof(RemoteCertificateValidationCallback))
            .Select(member => $"{member.type.FullName}.{member.Name}")
            .ToList();

        Assert.Empty(hooks);
    }
}
