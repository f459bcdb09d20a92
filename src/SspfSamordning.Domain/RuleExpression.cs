using System.Linq.Expressions;

namespace SspfSamordning.Domain;

/// <summary>
/// A rule that SQL must also evaluate is written once, as an expression: EF Core translates it (bound to the query's
/// values with <see cref="Bind{T,TArg}"/>), and the aggregate compiles it once for its in-memory decisions.
/// </summary>
public static class RuleExpression
{
    /// <summary>The rule for one value of its argument; the value stays a query parameter (a closure member), not a literal.</summary>
    public static Expression<Func<T, bool>> Bind<T, TArg>(Expression<Func<T, TArg, bool>> rule, TArg arg) =>
        Expression.Lambda<Func<T, bool>>(Replace(rule.Body, (rule.Parameters[1], Value(arg))), rule.Parameters[0]);

    /// <summary>As <see cref="Bind{T,TArg}"/>, for a rule of two arguments.</summary>
    public static Expression<Func<T, bool>> Bind<T, TArg1, TArg2>(Expression<Func<T, TArg1, TArg2, bool>> rule, TArg1 arg1, TArg2 arg2) =>
        Expression.Lambda<Func<T, bool>>(
            Replace(rule.Body, (rule.Parameters[1], Value(arg1)), (rule.Parameters[2], Value(arg2))), rule.Parameters[0]);

    /// <summary>
    /// <paramref name="rule"/> narrowed by <paramref name="also"/> on the same subject: the result takes the subject, the
    /// narrowing's argument and the rule's argument (a consent in force that names a party, a disclosure in force that a user received).
    /// </summary>
    public static Expression<Func<T, TExtra, TArg, bool>> And<T, TArg, TExtra>(Expression<Func<T, TArg, bool>> rule, Expression<Func<T, TExtra, bool>> also)
    {
        var (subject, arg) = (rule.Parameters[0], rule.Parameters[1]);
        var narrowing = Replace(also.Body, (also.Parameters[0], subject));
        return Expression.Lambda<Func<T, TExtra, TArg, bool>>(Expression.AndAlso(rule.Body, narrowing), subject, also.Parameters[1], arg);
    }

    /// <summary>The negation of <paramref name="rule"/>.</summary>
    public static Expression<Func<T, bool>> Not<T>(Expression<Func<T, bool>> rule) =>
        Expression.Lambda<Func<T, bool>>(Expression.Not(rule.Body), rule.Parameters);

    /// <summary><paramref name="expression"/> with each parameter replaced by its expression.</summary>
    public static Expression Replace(Expression expression, params (ParameterExpression Parameter, Expression By)[] replacements) =>
        new Replacer(replacements.ToDictionary(r => r.Parameter, r => r.By)).Visit(expression);

    private static MemberExpression Value<TArg>(TArg arg) =>
        Expression.Field(Expression.Constant(new Holder<TArg>(arg)), nameof(Holder<TArg>.Value));

    private sealed class Holder<TArg>(TArg value)
    {
        public readonly TArg Value = value;
    }

    private sealed class Replacer(Dictionary<ParameterExpression, Expression> replacements) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            replacements.TryGetValue(node, out var by) ? by : node;
    }
}
