using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SspfSamordning.Api.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class StatisticsSpeedTwo : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "Kind",
                table: "Meetings",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(64)",
                oldMaxLength: 64);

            migrationBuilder.CreateIndex(
                name: "IX_Meetings_HeldAt_CaseId_Kind",
                table: "Meetings",
                columns: new[] { "HeldAt", "CaseId", "Kind" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Meetings_HeldAt_CaseId_Kind",
                table: "Meetings");

            migrationBuilder.AlterColumn<string>(
                name: "Kind",
                table: "Meetings",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(64)",
                oldMaxLength: 64,
                oldCollation: "Latin1_General_100_BIN2");
        }
    }
}
