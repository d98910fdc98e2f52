using System;
using System.Collections.Generic;
using OAuthSmtp.Engine.Setup.Exchange;

namespace OAuthSmtp.Engine.Setup.Checks;

/// <summary>A check that reads the admin's Exchange Online session; the doctor runs it only when one is usable.</summary>
public abstract class ExchangeCheck : SetupCheck
{
    public override bool NeedsExchange => true;

    /// <summary>Runs with the session; an Exchange command that fails makes the check Skipped with Exchange's words.</summary>
    public override SetupCheckResult Run(SetupContext context)
    {
        try
        {
            return Run(context, context.ExchangeIfUsable!);
        }
        catch (ExchangeAdminException failed)
        {
            return new SetupCheckResult(
                Step,
                SetupCheckStatus.Skipped,
                "Not checked: " + failed.Message,
                "Exchange refused the command the check needs, so the step cannot be judged.",
                failed.Fix,
                SetupDocumentation.ConnectExchangeOnline,
                failed.ErrorId);
        }
    }

    protected abstract SetupCheckResult Run(SetupContext context, IExchangeAdmin exchange);

    /// <summary>Whether a trustee value (Get-MailboxPermission User, Get-RecipientPermission Trustee) names the app.</summary>
    protected static bool NamesApp(string trustee, SetupContext context)
    {
        var candidates = new List<string?> { context.ObjectId, context.ClientId };
        if (context.ServicePrincipal is { } sp)
        {
            candidates.Add(sp.Identity);
            candidates.Add(sp.ObjectId);
            candidates.Add(sp.DisplayName);
        }

        var value = trustee.Trim();
        foreach (var candidate in candidates)
        {
            if (!string.IsNullOrWhiteSpace(candidate) && string.Equals(value, candidate!.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
