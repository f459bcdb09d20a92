using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

#pragma warning disable EF9100 // RelationalLiftableConstantProcessor is EF's (experimental) last step before a query's executor is compiled: extended, not reimplemented.

namespace SspfSamordning.Api.Infrastructure.Persistence;

/// <summary>
/// Compiles the lambdas nested in a query's executor (the shaper of each included collection's rows, its fix-up of the
/// inverse navigation) once, when EF compiles the query, instead of letting each evaluation of the enclosing shaper build
/// a new delegate for them.
/// </summary>
/// <remarks>
/// Issue 22: EF (since 9) passes these lambdas inline to <c>PopulateIncludeCollection</c>, and a nested lambda of a compiled
/// expression tree becomes <c>DynamicMethod.CreateDelegate</c> each time it is evaluated — here once per joined row and per
/// included collection: 9 % of a case read's API CPU, profiled (bench/results/load.md, "Round six"). EF made the same
/// change for the collections' identifier lambdas (dotnet/efcore#35212). Only a lambda that refers to nothing outside itself
/// (no variable or parameter of an enclosing scope) is replaced, by a constant holding its compiled delegate: it would build
/// the same delegate every time. Quoted lambdas (expression trees as values) are left alone. Every provider compiles its
/// queries through this service.
/// </remarks>
public sealed class NestedShaperDelegates(
    ShapedQueryCompilingExpressionVisitorDependencies dependencies,
    RelationalShapedQueryCompilingExpressionVisitorDependencies relationalDependencies,
    Microsoft.EntityFrameworkCore.Storage.RelationalCommandBuilderDependencies commandBuilderDependencies)
    : RelationalLiftableConstantProcessor(dependencies, relationalDependencies, commandBuilderDependencies)
{
    public override Expression InlineConstants(Expression expression, bool supportsPrecompiledQuery) =>
        CompileNested(base.InlineConstants(expression, supportsPrecompiledQuery));

    /// <summary>The expression (an executor lambda itself stays a lambda) with every closed nested lambda compiled into a constant.</summary>
    internal static Expression CompileNested(Expression expression) => expression is LambdaExpression root
        ? Expression.Lambda(root.Type, new Compiler().Visit(root.Body), root.Name, root.TailCall, root.Parameters)
        : new Compiler().Visit(expression);

    private sealed class Compiler : ExpressionVisitor
    {
        private readonly HashSet<LambdaExpression> invokedInPlace = [];

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            var lambda = (Expression<T>)base.VisitLambda(node); // innermost first: an enclosing lambda then holds their constants
            return invokedInPlace.Contains(node) || FreeVariables.Any(lambda) ? lambda : Expression.Constant(lambda.Compile(), lambda.Type);
        }

        /// <summary>A lambda invoked where it stands is inlined by the expression compiler: no delegate to save.</summary>
        protected override Expression VisitInvocation(InvocationExpression node)
        {
            if (node.Expression is LambdaExpression invoked) invokedInPlace.Add(invoked);
            return base.VisitInvocation(node);
        }

        protected override Expression VisitUnary(UnaryExpression node) => node.NodeType == ExpressionType.Quote ? node : base.VisitUnary(node);
    }

    /// <summary>Whether an expression refers to a parameter or variable it does not declare itself.</summary>
    private sealed class FreeVariables : ExpressionVisitor
    {
        private readonly List<ParameterExpression> declared = [];
        private bool found;

        public static bool Any(Expression expression)
        {
            var visitor = new FreeVariables();
            visitor.Visit(expression);
            return visitor.found;
        }

        public override Expression? Visit(Expression? node) => found ? node : base.Visit(node);

        protected override Expression VisitLambda<T>(Expression<T> node) => Declaring(node.Parameters, () => base.VisitLambda(node));
        protected override Expression VisitBlock(BlockExpression node) => Declaring(node.Variables, () => base.VisitBlock(node));

        protected override CatchBlock VisitCatchBlock(CatchBlock node)
        {
            if (node.Variable is not { } variable) return base.VisitCatchBlock(node);
            declared.Add(variable);
            try { return base.VisitCatchBlock(node); }
            finally { declared.RemoveAt(declared.Count - 1); }
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            found |= !declared.Contains(node);
            return node;
        }

        private Expression Declaring(IReadOnlyCollection<ParameterExpression> variables, Func<Expression> visit)
        {
            declared.AddRange(variables);
            try { return visit(); }
            finally { declared.RemoveRange(declared.Count - variables.Count, variables.Count); }
        }
    }
}

public static class NestedShaperDelegatesOptions
{
    /// <summary>Compiles the delegates nested in each query's shaper once per query (<see cref="NestedShaperDelegates"/>).</summary>
    public static DbContextOptionsBuilder CompileNestedShapersOnce(this DbContextOptionsBuilder options) =>
        options.ReplaceService<ILiftableConstantProcessor, NestedShaperDelegates>();
}
