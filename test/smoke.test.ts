import { expect } from "chai";
describe("the test harness", () => {
  it("runs TypeScript tests through tsx", () => {
    const value: number = 1 + 1;
    expect(value).to.equal(2);
  });
});
