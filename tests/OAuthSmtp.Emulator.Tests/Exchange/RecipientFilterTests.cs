using System;
using OAuthSmtp.Emulator.Model;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Exchange;

public sealed class RecipientFilterTests
{
    private const string GroupDn = "CN=Senders,OU=contoso.onmicrosoft.com,OU=Microsoft Exchange Hosted Organizations,DC=NAMPR01A001,DC=PROD,DC=OUTLOOK,DC=COM";
    private readonly TenantModel _tenant = new(new EmulatorClock());
    private readonly Mailbox _alerts = new() { Alias = "alerts", DisplayName = "Alerts", PrimarySmtpAddress = "alerts@contoso.com", RecipientTypeDetails = "UserMailbox" };
    private readonly Mailbox _sales = new() { Alias = "sales", DisplayName = "Sales", PrimarySmtpAddress = "sales@contoso.com", RecipientTypeDetails = "SharedMailbox" };

    public RecipientFilterTests()
    {
        var group = new DistributionGroup { Name = "Senders", DistinguishedName = GroupDn };
        group.Members.Add("alerts@contoso.com");
        _tenant.Groups.Add(group);
    }

    [Theory]
    [InlineData("", true, true)]
    [InlineData(null, true, true)]
    [InlineData("MemberOfGroup -eq '" + GroupDn + "'", true, false)]
    [InlineData("PrimarySmtpAddress -eq 'sales@contoso.com'", false, true)]
    [InlineData("Name -eq 'alerts'", true, false)]
    [InlineData("Alias -eq 'SALES'", false, true)]
    [InlineData("RecipientTypeDetails -eq 'SharedMailbox'", false, true)]
    [InlineData("Alias -eq 'alerts' -or Alias -eq 'sales'", true, true)]
    [InlineData("Alias -eq 'alerts' -and RecipientTypeDetails -eq 'SharedMailbox'", false, false)]
    [InlineData("(Alias -eq 'alerts' -or Alias -eq 'sales') -and -not (RecipientTypeDetails -eq 'SharedMailbox')", true, false)]
    [InlineData("{PrimarySmtpAddress -like 'a*'}", true, false)]
    [InlineData("RecipientTypeDetails -ne \"UserMailbox\"", false, true)]
    public void FiltersSelectTheRightMailboxes(string? filter, bool alerts, bool sales)
    {
        Assert.Equal(alerts, RecipientFilter.Matches(_alerts, filter, _tenant));
        Assert.Equal(sales, RecipientFilter.Matches(_sales, filter, _tenant));
    }

    [Theory]
    [InlineData("MemberOfGroup -eq")]
    [InlineData("Colour -eq 'blue'")]
    [InlineData("Alias 'x'")]
    [InlineData("(Alias -eq 'x'")]
    [InlineData("Alias -eq 'x' -and")]
    [InlineData("Alias -eq 'unterminated")]
    public void MalformedFiltersAreRejected(string filter)
    {
        Assert.Throws<FormatException>(() => RecipientFilter.Validate(filter));
    }
}
