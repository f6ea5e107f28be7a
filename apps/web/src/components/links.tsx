import { Anchor, Button, type AnchorProps, type ButtonProps } from "@mantine/core";
import { createLink, type LinkComponent } from "@tanstack/react-router";

// Mantine components as type-safe router links (TanStack's createLink pattern).

interface MantineAnchorProps extends Omit<AnchorProps, "href"> {
  ref?: React.Ref<HTMLAnchorElement>;
  children?: React.ReactNode;
}
function MantineAnchor(props: MantineAnchorProps & React.AnchorHTMLAttributes<HTMLAnchorElement>) {
  return <Anchor component="a" {...props} />;
}
const CreatedAnchorLink = createLink(MantineAnchor);
export const AnchorLink: LinkComponent<typeof MantineAnchor> = (props) => (
  <CreatedAnchorLink {...props} />
);

interface MantineButtonProps extends Omit<ButtonProps, "href"> {
  ref?: React.Ref<HTMLAnchorElement>;
  children?: React.ReactNode;
}
function MantineButtonAnchor(
  props: MantineButtonProps & React.AnchorHTMLAttributes<HTMLAnchorElement>,
) {
  return <Button component="a" {...props} />;
}
const CreatedButtonLink = createLink(MantineButtonAnchor);
export const ButtonLink: LinkComponent<typeof MantineButtonAnchor> = (props) => (
  <CreatedButtonLink {...props} />
);
