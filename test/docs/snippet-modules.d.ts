// A package a snippet shows how to use; not a dependency of Keyward.
declare module "nodemailer" {
  interface Transport {
    sendMail(message: Record<string, unknown>): Promise<unknown>;
  }
  const nodemailer: { createTransport(options: Record<string, unknown>): Transport };
  export default nodemailer;
}
