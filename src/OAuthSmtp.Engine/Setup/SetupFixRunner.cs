using System;
using System.Collections.Generic;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Setup.Exchange;

namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// Applies fixes through the admin's sessions (Exchange fixes through Exchange Online, Entra fixes through Graph), each only after <c>consent</c> agrees (the cmdlet's
/// ShouldProcess: -WhatIf and -Confirm). A failed fix does not stop the others; each outcome is reported. A fix whose
/// prerequisite (<see cref="SetupFixAction.Requires"/>) was declined or failed is neither asked about nor run.
/// </summary>
public static class SetupFixRunner
{
    public static IReadOnlyList<SetupFixOutcome> Apply(IReadOnlyList<SetupFixAction> actions, IExchangeAdmin exchange, Func<SetupFixAction, bool> shouldProcess) =>
        Apply(actions, new SetupFixSessions(exchange ?? throw new ArgumentNullException(nameof(exchange))), shouldProcess);

    public static IReadOnlyList<SetupFixOutcome> Apply(IReadOnlyList<SetupFixAction> actions, SetupFixSessions sessions, Func<SetupFixAction, bool> shouldProcess) =>
        Apply(actions, sessions, action => shouldProcess(action) ? SetupFixConsent.Approved : SetupFixConsent.Declined, new Dictionary<string, string>(StringComparer.Ordinal));

    /// <param name="actions">The fixes, in check order (a prerequisite comes before what needs it).</param>
    /// <param name="sessions">The admin's sessions.</param>
    /// <param name="consent">Asks the admin about one fix.</param>
    /// <param name="notMade">What earlier fixes of this run would have provided but did not (key: <see cref="SetupFixAction.Provides"/>, value: their command line); this call adds to it.</param>
    public static IReadOnlyList<SetupFixOutcome> Apply(
        IReadOnlyList<SetupFixAction> actions, SetupFixSessions sessions, Func<SetupFixAction, SetupFixConsent> consent, IDictionary<string, string> notMade)
    {
        if (actions is null)
        {
            throw new ArgumentNullException(nameof(actions));
        }

        if (sessions is null)
        {
            throw new ArgumentNullException(nameof(sessions));
        }

        if (consent is null)
        {
            throw new ArgumentNullException(nameof(consent));
        }

        if (notMade is null)
        {
            throw new ArgumentNullException(nameof(notMade));
        }

        var outcomes = new List<SetupFixOutcome>();
        foreach (var action in actions)
        {
            var blockedBy = BlockedBy(action, notMade);
            if (blockedBy is not null)
            {
                NotMade(action, blockedBy, notMade);
                outcomes.Add(new SetupFixOutcome(action, false, null, blockedBy));
                continue;
            }

            var answer = consent(action);
            if (answer == SetupFixConsent.Declined)
            {
                NotMade(action, action.CommandText, notMade);
                outcomes.Add(new SetupFixOutcome(action, false, null));
                continue;
            }

            if (answer == SetupFixConsent.WhatIf)
            {
                // Shown, not run; what follows is shown too, as it would run.
                outcomes.Add(new SetupFixOutcome(action, false, null));
                continue;
            }

            try
            {
                action.Apply(sessions);
                outcomes.Add(new SetupFixOutcome(action, true, null));
            }
            catch (OAuthSmtpException failed)
            {
                NotMade(action, action.CommandText, notMade);
                outcomes.Add(new SetupFixOutcome(action, false, new OAuthSmtpException(
                    ErrorIds.SetupFixFailed,
                    failed.Kind,
                    $"The fix '{action.CommandText}' failed: {failed.Message}",
                    action.ChangesEntra
                        ? $"Run the command yourself to see Microsoft Graph's full answer; {failed.Fix}"
                        : $"Run the command yourself to see Exchange's full answer; {failed.Fix}",
                    action.Target,
                    failed)));
            }
        }

        return outcomes;
    }

    private static string? BlockedBy(SetupFixAction action, IDictionary<string, string> notMade)
    {
        foreach (var key in action.Requires)
        {
            if (notMade.TryGetValue(key, out var command))
            {
                return command;
            }
        }

        return null;
    }

    /// <summary>What a change would have provided is missing now, and so is everything that builds on it.</summary>
    private static void NotMade(SetupFixAction action, string rootCommand, IDictionary<string, string> notMade)
    {
        if (action.Provides is not null && !notMade.ContainsKey(action.Provides))
        {
            notMade[action.Provides] = rootCommand;
        }
    }
}
