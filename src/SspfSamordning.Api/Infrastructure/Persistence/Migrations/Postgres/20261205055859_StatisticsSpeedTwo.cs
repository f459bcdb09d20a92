using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SspfSamordning.Api.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class StatisticsSpeedTwo : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }
    }
}
