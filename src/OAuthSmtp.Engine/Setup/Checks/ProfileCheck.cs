using System;
using System.Collections.Generic;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.Setup.Checks;

/// <summary>The profile has every value its credential kind needs, each well-formed.</summary>
public sealed class ProfileCheck : SetupCheck
{
    public override SetupStep Step => SetupStep.Profile;

    public override string Activity => "Reading the profile";

    public override SetupCheckResult Run(SetupContext context)
    {
        var profile = context.Profile;
        var problems = new List<string>();
        var fixes = new List<string>();
        var set = $"Set-SmtpOAuthProfile -Name {context.ProfileArgument}";
        var isManagedIdentity = profile.CredentialKind is CredentialKind.SystemManagedIdentity or CredentialKind.UserManagedIdentity;

        if (string.IsNullOrWhiteSpace(profile.TenantId) ? !isManagedIdentity : !ProfileValidator.IsTenant(profile.TenantId))
        {
            problems.Add($"the tenant '{profile.TenantId}' is neither a tenant GUID nor a domain name");
            fixes.Add($"{set} -TenantId <Tenant ID from Entra ID > Overview>");
        }

        if (profile.ClientId == Guid.Empty && !isManagedIdentity)
        {
            problems.Add("the client id is missing");
            fixes.Add($"{set} -ClientId <Application (client) ID from Entra ID > App registrations>");
        }

        if (!ProfileValidator.IsSmtpAddress(profile.Mailbox))
        {
            problems.Add($"the mailbox '{profile.Mailbox}' is not an SMTP address");
            fixes.Add($"{set} -Mailbox <sending mailbox address>");
        }

        if (string.IsNullOrWhiteSpace(profile.SmtpServer))
        {
            problems.Add("the SMTP server is missing");
            fixes.Add($"{set} -SmtpServer {CloudEndpoints.For(profile.Cloud).SmtpServer}");
        }

        if (profile.Port == 465)
        {
            problems.Add("port 465 (implicit TLS) is not offered by Exchange Online for client submission");
            fixes.Add($"{set} -Port 587");
        }
        else if (profile.Port is < 1 or > 65535)
        {
            problems.Add($"the port {profile.Port} is outside 1-65535");
            fixes.Add($"{set} -Port 587");
        }

        var scope = profile.Scope ?? string.Empty;
        if (profile.IsDelegated ? scope.IndexOf("SMTP.Send", StringComparison.OrdinalIgnoreCase) < 0 : !scope.EndsWith("/.default", StringComparison.OrdinalIgnoreCase))
        {
            var wanted = profile.IsDelegated ? CloudEndpoints.For(profile.Cloud).DelegatedScope : CloudEndpoints.For(profile.Cloud).AppOnlyScope;
            problems.Add(profile.IsDelegated
                ? $"the scope '{scope}' lacks SMTP.Send, which delegated sending needs"
                : $"the scope '{scope}' is not a resource followed by /.default, which app-only tokens need");
            fixes.Add($"{set} -Scope '{wanted}'");
        }

        if (problems.Count > 0)
        {
            return Fail(
                $"Profile '{profile.Name}': " + string.Join("; ", problems) + ".",
                "Every later step uses these values: a wrong one makes Entra ID or Exchange refuse the request, with errors that point elsewhere.",
                string.Join(Environment.NewLine, fixes),
                SetupDocumentation.ProfileHelp,
                ErrorIds.SetupProfileIncomplete);
        }

        var who = profile.IsDelegated ? "delegated (signed-in user)" : "app-only";
        return Pass($"Profile '{profile.Name}': tenant {Display(profile.TenantId)}, client {Display(profile.ClientId == Guid.Empty ? null : profile.ClientId.ToString())}, {profile.CredentialKind} ({who}), mailbox {profile.Mailbox}, {profile.Cloud} cloud, {profile.SmtpServer}:{profile.Port}.");
    }

    private static string Display(string? value) => string.IsNullOrWhiteSpace(value) ? "(from the managed identity)" : value!;
}
