using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;

#pragma warning disable EF9100 // ILiftableConstantProcessor: EF's experimental service that NestedShaperDelegates replaces.

namespace SspfSamordning.Api.Tests.Performance;

/// <summary>
/// <see cref="NestedShaperDelegates"/> compiles a nested lambda of a query's executor once — only when that changes nothing
/// but the cost: a lambda that refers to a variable of an enclosing scope must stay a lambda (compiled on its own it would not
/// even compile), and so must a quoted one and one invoked in place. The queries themselves are the other tests' (every case
/// read and list goes through it).
/// </summary>
public sealed class NestedShaperDelegatesTests
{
    private static int Apply(Func<int, int> f, int x) => f(x);
    private static readonly System.Reflection.MethodInfo ApplyMethod =
        typeof(NestedShaperDelegatesTests).GetMethod(nameof(Apply), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    private static readonly ParameterExpression X = Expression.Parameter(typeof(int), "x");
    private static readonly ParameterExpression Y = Expression.Parameter(typeof(int), "y");

    /// <summary>x => Apply(nested, x), rewritten, with its single argument of interest.</summary>
    private static (Expression Argument, Func<int, int> Compiled) Rewrite(Expression nested, params ParameterExpression[] blockVariables)
    {
        Expression body = Expression.Call(ApplyMethod, nested, X);
        if (blockVariables.Length > 0)
            body = Expression.Block(blockVariables, [.. blockVariables.Select(v => Expression.Assign(v, Expression.Constant(10))), body]);
        var rewritten = (Expression<Func<int, int>>)NestedShaperDelegates.CompileNested(Expression.Lambda<Func<int, int>>(body, X));
        var call = rewritten.Body as MethodCallExpression ?? (MethodCallExpression)((BlockExpression)rewritten.Body).Result;
        return (call.Arguments[0], rewritten.Compile());
    }

    [Fact]
    public void AClosedNestedLambda_BecomesOneCompiledDelegate_ThatComputesTheSame()
    {
        var (argument, compiled) = Rewrite(Expression.Lambda<Func<int, int>>(Expression.Multiply(Y, Expression.Constant(2)), Y));

        var constant = Assert.IsAssignableFrom<ConstantExpression>(argument);
        Assert.IsType<Func<int, int>>(constant.Value);
        Assert.Equal(42, compiled(21));
    }

    [Fact]
    public void ALambdaNestedInAClosedLambda_IsCompiledWithIt()
    {
        var inner = Expression.Lambda<Func<int, int>>(Expression.Add(Y, Expression.Constant(1)), Y);
        var z = Expression.Parameter(typeof(int), "z");
        var (argument, compiled) = Rewrite(Expression.Lambda<Func<int, int>>(Expression.Call(ApplyMethod, inner, z), z));

        Assert.IsAssignableFrom<ConstantExpression>(argument);
        Assert.Equal(8, compiled(7));
    }

    [Fact]
    public void ALambdaThatUsesTheEnclosingLambdasParameter_StaysALambda()
    {
        var (argument, compiled) = Rewrite(Expression.Lambda<Func<int, int>>(Expression.Add(Y, X), Y));

        Assert.IsAssignableFrom<LambdaExpression>(argument);
        Assert.Equal(6, compiled(3));
    }

    [Fact]
    public void ALambdaThatUsesAnEnclosingBlocksVariable_StaysALambda()
    {
        var v = Expression.Variable(typeof(int), "v");
        var (argument, compiled) = Rewrite(Expression.Lambda<Func<int, int>>(Expression.Add(Y, v), Y), v);

        Assert.IsAssignableFrom<LambdaExpression>(argument);
        Assert.Equal(13, compiled(3));
    }

    [Fact]
    public void AQuotedLambda_AndALambdaInvokedInPlace_StayLambdas()
    {
        var closed = Expression.Lambda<Func<int, int>>(Expression.Multiply(Y, Expression.Constant(3)), Y);
        var root = Expression.Lambda<Func<int, object>>(
            Expression.NewArrayInit(typeof(object), Expression.Quote(closed), Expression.Convert(Expression.Invoke(closed, X), typeof(object))), X);

        var rewritten = (Expression<Func<int, object>>)NestedShaperDelegates.CompileNested(root);

        var items = ((NewArrayExpression)rewritten.Body).Expressions;
        Assert.IsAssignableFrom<LambdaExpression>(((UnaryExpression)items[0]).Operand);
        Assert.IsAssignableFrom<LambdaExpression>(((InvocationExpression)((UnaryExpression)items[1]).Operand).Expression);
        Assert.Equal(12, ((object[])rewritten.Compile()(4))[1]);
    }

    [Fact]
    public async Task TheAppsDbContext_CompilesItsQueriesThroughIt()
    {
        await using var factory = new SspfApiFactory();
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();

        Assert.IsType<NestedShaperDelegates>(db.GetService<ILiftableConstantProcessor>());
    }
}
