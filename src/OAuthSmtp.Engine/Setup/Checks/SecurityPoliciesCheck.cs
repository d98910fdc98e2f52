using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Setup.Checks;

/// <summary>
/// Security defaults, Conditional Access and the Basic authentication retirement (EXCHANGE-FACTS 5a, 5b, 8): what each
/// means for OAuth SMTP. They block Basic SMTP AUTH, never XOAUTH2, so this step explains more than it fails.
/// </summary>
public sealed class SecurityPoliciesCheck : SetupCheck
{
    /// <summary>MC786329, update of 27 January 2026 (EXCHANGE-FACTS section 8).</summary>
    internal const string BasicAuthRetirement =
        "Basic authentication for SMTP AUTH: unchanged until the end of December 2026, then off by default for existing tenants (admins can turn it back on); the final removal date is to be announced in the second half of 2027 (MC786329, update of 27 January 2026). OAuth (XOAUTH2), which this module uses, is not affected.";

    private static readonly SetupStep[] Dependencies = { SetupStep.Token };

    public override SetupStep Step => SetupStep.SecurityPolicies;

    public override IReadOnlyList<SetupStep> DependsOn => Dependencies;

    public override string Activity => "Reading security defaults and Conditional Access";

    public override SetupCheckResult Run(SetupContext context)
    {
        var facts = new List<string>();
        var directory = context.Directory;
        bool? securityDefaults = null;
        IReadOnlyList<string>? policies = null;
        if (directory is not null)
        {
            securityDefaults = Read(context, ct => directory.GetSecurityDefaultsEnabledAsync(ct));
            policies = ReadList(context, directory);
        }

        facts.Add(securityDefaults switch
        {
            true => "Security defaults are ON: they block Basic SMTP AUTH (535 5.7.139 '…locked by your organization's security defaults policy'), not OAuth; nothing to change for this module.",
            false => "Security defaults are off.",
            null => "Security defaults: not readable (the app needs Microsoft Graph > Policy.Read.All); they block only Basic SMTP AUTH anyway.",
        });

        if (policies is { Count: > 0 })
        {
            var names = string.Join(", ", policies.Select(p => "'" + p + "'"));
            facts.Add(context.IsDelegated
                ? $"Conditional Access policies in force: {names}. Entra ID issued the token, so none of them blocks this user now; a policy that requires MFA or a compliant device can still stop the silent renewal of the sign-in (AADSTS50076), and a block shows as AADSTS53003 in the Token step."
                : $"Conditional Access policies in force: {names}. Entra ID issued the token, so none of them blocks this app now; a policy for workload identities (service principals) that blocks this app, or its location, makes every token request fail with AADSTS53003, shown in the Token step.");
        }
        else if (policies is not null)
        {
            facts.Add("No Conditional Access policy is enabled.");
        }

        facts.Add(BasicAuthRetirement);
        return Pass(string.Join(" ", facts));
    }

    private static bool? Read(SetupContext context, System.Func<System.Threading.CancellationToken, System.Threading.Tasks.Task<bool?>> read)
    {
        try
        {
            return context.Wait(read);
        }
        catch (OAuthSmtpException)
        {
            return null;
        }
    }

    private static IReadOnlyList<string>? ReadList(SetupContext context, Entra.IEntraDirectory directory)
    {
        try
        {
            return context.Wait(ct => directory.GetEnabledConditionalAccessPolicyNamesAsync(ct));
        }
        catch (OAuthSmtpException)
        {
            return null;
        }
    }
}
